import type { ServiceResponse } from '../../contracts/request-context.js';
import type { InvokeTarget } from '../../engine/invoke.js';
import type { Logger } from '../../logger.js';
import type { Member } from '../../store/cluster/membership.js';
import type { NodeAnswer, NodeRequest } from '../../store/cluster/node-calls.js';
import type { RestJsonRequest } from '../../protocols/rest-json.js';
import { errors } from './errors.js';
import type { ResolvedInvocation } from './function-invoker.js';
import { invokeTargetOf } from './invoke-target.js';

/**
 * The version the forwarding node drew for the invocation (an alias with weights draws per
 * invocation): the receiving node runs that one, so a forward never changes the weights. Honoured
 * only on a request whose node secret the edge checked.
 */
export const FORWARDED_VERSION_HEADER = 'x-lambkin-invoke-version';

export interface InvokeForwardingDeps {
  nodeId: string;
  /** Live members as of this node's last heartbeat (this node included). */
  members: () => readonly Member[];
  /** A member silent this long is dead; one a forward failed to reach is skipped as long. */
  expiryMs: number;
  send: (baseUrl: string, request: NodeRequest) => Promise<NodeAnswer>;
  engine: { hasIdle(target: InvokeTarget): boolean; invocationsUnderWay(): number };
  /** This node's LAMBKIN_NODE_CAPACITY; absent: it is never over capacity. */
  capacity?: number;
  logger: Logger;
}

/**
 * Sync invokes on a cluster. One this node has no idle environment for goes to a node whose last
 * heartbeat shows one (provisioned environments first: a provisioned function must not cold-start
 * on a node holding none of its slots) or, when this node is at its capacity, to a node under its
 * own; anything else runs here. The client's request goes unchanged (the receiver checks its
 * signature, claims the concurrency slot, as this node has not, and never forwards again), and its
 * answer comes back unchanged. Heartbeats are up to one period old, so forwards under way to a node
 * count against the environments it reported.
 */
export class InvokeForwarding {
  /** Forwards under way, per `<url> <version key>` and per `<url>`. */
  private readonly pending = new Map<string, number>();
  /** Members a forward failed to reach, until when they are not tried (their heartbeat lags their death). */
  private readonly unreachable = new Map<string, number>();

  constructor(private readonly deps: InvokeForwardingDeps) {}

  /** The member's answer when the invoke was forwarded, undefined to run it here. */
  async forward(invocation: ResolvedInvocation, req: RestJsonRequest): Promise<ServiceResponse | undefined> {
    const { ref, version, row } = invocation;
    const key = `${ref.scope.accountId}/${ref.scope.region}/${ref.name}/${version}`;
    const to = this.chooseMember(key, () => !this.deps.engine.hasIdle(invokeTargetOf(ref.scope, ref.name, ref.qualifier, version, row)));
    if (!to) return undefined;
    const query = req.query.toString();
    const request: NodeRequest = {
      method: req.method,
      path: query ? `${req.rawPath}?${query}` : req.rawPath,
      headers: { ...req.headers, [FORWARDED_VERSION_HEADER]: version },
      body: req.body,
      requestId: req.requestId,
    };
    const counters = [`${to.url} ${key}`, to.url];
    for (const c of counters) this.pending.set(c, (this.pending.get(c) ?? 0) + 1);
    let answer: NodeAnswer;
    try {
      answer = await this.deps.send(to.url, request);
    } catch (err) {
      this.unreachable.set(to.url, Date.now() + this.deps.expiryMs);
      for (const [url, until] of this.unreachable) if (until <= Date.now()) this.unreachable.delete(url);
      // Refused: nothing reached the member, so running here cannot run the invoke twice. Any
      // other failure may come after the member started it (a reset on a kept-alive connection
      // also comes from a node killed just before the call, but nothing tells the two apart):
      // the client gets a ServiceException, as from AWS, which SDKs retry (here, as the member is
      // skipped now).
      if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') {
        this.deps.logger.warn({ err, node: to.nodeId, requestId: req.requestId }, 'forwarded invoke got no answer');
        throw errors.internal();
      }
      this.deps.logger.warn({ node: to.nodeId, requestId: req.requestId }, 'node refused a forwarded invoke: running it here');
      return undefined;
    } finally {
      for (const c of counters) {
        const left = (this.pending.get(c) ?? 1) - 1;
        if (left > 0) this.pending.set(c, left);
        else this.pending.delete(c);
      }
    }
    // No Lambda error is a 503: the member's edge answered before any invoke ran (shutting down).
    if (answer.status === 503) return undefined;
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }

  /** The member to forward to, or undefined; `noIdleHere` is asked only once a member is a candidate. */
  private chooseMember(key: string, noIdleHere: () => boolean): Member | undefined {
    const now = Date.now();
    let warm: Member | undefined;
    let warmScore = 0;
    let roomy: Member | undefined;
    let roomyShare = Infinity;
    const capacity = this.deps.capacity;
    const overCapacity = capacity !== undefined && this.deps.engine.invocationsUnderWay() >= capacity;
    for (const m of this.deps.members()) {
      if (m.nodeId === this.deps.nodeId || m.draining || (this.unreachable.get(m.url) ?? 0) > now) continue;
      const pending = this.pending.get(`${m.url} ${key}`) ?? 0;
      // Provisioned environments first: they are paid for, and the point of the config. They stay
      // on their node, so each is room for one forward there whether or not it was busy when the
      // heartbeat was written; on-demand ones count only if they were idle then.
      const provisioned = (m.load.provisioned?.[key] ?? 0) - pending;
      const idle = (m.load.idle?.[key] ?? 0) - pending;
      const score = provisioned > 0 ? 1_000_000 + provisioned : Math.max(idle, 0);
      if (score > warmScore) {
        warm = m;
        warmScore = score;
      }
      if (overCapacity && capacity !== undefined) {
        const running = (m.load.running ?? 0) + (this.pending.get(m.url) ?? 0);
        // A member that publishes no capacity is taken to have this node's (one setting for the cluster).
        const share = running / (m.load.capacity ?? capacity);
        if (share < 1 && share < roomyShare) {
          roomy = m;
          roomyShare = share;
        }
      }
    }
    const to = warm ?? roomy;
    return to && noIdleHere() ? to : undefined;
  }
}
