import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from '../database.js';

/** The header a node's request to another carries the cluster's node secret in. */
export const NODE_AUTH_HEADER = 'x-lambkin-node-auth';
/** The request id the first node gave the client's request, so the answer names the same one. */
export const NODE_REQUEST_ID_HEADER = 'x-lambkin-node-request-id';

/** Headers of one connection, not of the request (RFC 9110 §7.6.1), and those recomputed here. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', NODE_AUTH_HEADER, NODE_REQUEST_ID_HEADER]);

export interface NodeRequest {
  method: string;
  /** Path and query string, as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
}

export interface NodeAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Requests one node of a cluster sends another (a call relayed to the node that serves it), and
 * the check of those a node receives. They carry a secret every node reads from the shared
 * database (`cluster_secrets`, inserted by the first node to start): nothing outside the cluster
 * knows it, so a request claiming to come from a node without it is refused (403), and the check
 * takes the same time whatever part of it is wrong. The secret only says "a node relayed this";
 * the client's own signature is still verified by the node that serves it. Plain HTTP between the
 * nodes, as between clients and nodes: run them on a private network or behind TLS.
 */
export class NodeCalls {
  /** Kept open between nodes: a relayed call costs no new connection. */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  private constructor(private readonly secretDigest: Buffer, private readonly secret: string) {}

  /** Reads the cluster's node secret, creating it if this is the first node. */
  static async open(db: Store): Promise<NodeCalls> {
    await db.insertInto('cluster_secrets').values({ name: 'node-call', value: randomBytes(32).toString('hex') }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await db.selectFrom('cluster_secrets').select('value').where('name', '=', 'node-call').executeTakeFirstOrThrow();
    return new NodeCalls(digest(row.value), row.value);
  }

  /** Whether a received request's header holds the node secret (constant time). */
  verify(presented: string | string[] | undefined): boolean {
    if (typeof presented !== 'string') return false;
    return timingSafeEqual(digest(presented), this.secretDigest);
  }

  /** Sends a client's request, unchanged, to another node (`baseUrl`) and returns its answer. */
  send(baseUrl: string, request: NodeRequest): Promise<NodeAnswer> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    headers['content-length'] = String(request.body.length);
    headers[NODE_AUTH_HEADER] = this.secret;
    headers[NODE_REQUEST_ID_HEADER] = request.requestId;
    const target = new URL(request.path, baseUrl);
    return new Promise((resolve, reject) => {
      // No timeout: a relayed long poll waits as long as the client asked (up to 20 s).
      const req = http.request(target, { method: request.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const answerHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined || HOP_BY_HOP.has(name) || name === 'date' || name === 'x-amzn-requestid') continue;
            answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 502, headers: answerHeaders, body: Buffer.concat(chunks) });
        });
      });
      req.on('error', reject);
      req.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Equal-length digests, so timingSafeEqual never sees inputs of different lengths. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
