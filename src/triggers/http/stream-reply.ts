import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ResponseStreamSink } from '../../engine/response-stream.js';

const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_DELIMITER = Buffer.alloc(8);
/** A prelude larger than this is not one: AWS caps HTTP-integration headers well below it. */
const PRELUDE_MAX_BYTES = 64 * 1024;

/**
 * Writes a streamed function response to the client as the runtime produces it. An
 * HTTP-integration stream starts with a JSON prelude (status, headers, cookies) and 8 NUL bytes
 * (spec §3.1); anything else is a 200 with the stream's content type.
 */
export class HttpStreamSink implements ResponseStreamSink {
  started = false;
  ended = false;
  private prelude: Buffer[] | null = null;
  private preludeBytes = 0;
  private contentType = 'application/octet-stream';

  constructor(
    private readonly res: ServerResponse,
    private readonly extraHeaders: Array<[string, string]>,
    private readonly onErrorBeforeHead: () => void,
  ) {}

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  start(contentType: string): void {
    this.started = true;
    // The head waits for the first byte: a handler failing before it still gets a clean 502.
    if (contentType.split(';', 1)[0]!.trim() === HTTP_INTEGRATION_CONTENT_TYPE) this.prelude = [];
    else this.contentType = contentType;
  }

  write(chunk: Buffer): void {
    if (this.ended) return;
    if (this.prelude) {
      this.prelude.push(chunk);
      this.preludeBytes += chunk.length;
      const all = Buffer.concat(this.prelude, this.preludeBytes);
      const at = all.indexOf(PRELUDE_DELIMITER);
      if (at < 0) {
        if (this.preludeBytes > PRELUDE_MAX_BYTES) this.headFromPrelude(Buffer.alloc(0), all);
        return;
      }
      this.headFromPrelude(all.subarray(0, at), all.subarray(at + PRELUDE_DELIMITER.length));
      return;
    }
    if (!this.res.headersSent) this.head(200, [['content-type', this.contentType]]);
    this.res.write(chunk);
  }

  end(error?: { errorType: string; body: Buffer }): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.res.headersSent) {
      if (error) return this.onErrorBeforeHead();
      if (this.prelude) return this.headFromPrelude(Buffer.alloc(0), Buffer.concat(this.prelude, this.preludeBytes), true);
      this.head(200, [['content-type', this.contentType]]);
    }
    // Mid-stream failures cut the response, as AWS does; the client sees a truncated body.
    if (error) this.res.destroy();
    else this.res.end();
  }

  private headFromPrelude(preludeText: Buffer, rest: Buffer, finish = false): void {
    this.prelude = null;
    let status = 200;
    const headers: Array<[string, string]> = [];
    try {
      const doc = preludeText.length > 0 ? (JSON.parse(preludeText.toString('utf8')) as Record<string, unknown>) : {};
      if (typeof doc.statusCode === 'number') status = doc.statusCode;
      for (const [k, v] of Object.entries((doc.headers as Record<string, unknown> | undefined) ?? {})) headers.push([k, String(v)]);
      if (Array.isArray(doc.cookies)) for (const c of doc.cookies) headers.push(['set-cookie', String(c)]);
    } catch {
      rest = Buffer.concat([preludeText, rest]);
    }
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/octet-stream']);
    this.head(status, headers);
    if (rest.length > 0) this.res.write(rest);
    if (finish) this.res.end();
  }

  private head(status: number, headers: Array<[string, string]>): void {
    const out: OutgoingHttpHeaders = {};
    for (const [k, v] of [...headers, ...this.extraHeaders]) {
      const key = k.toLowerCase();
      if (key === 'content-length' || key === 'transfer-encoding' || key === 'connection') continue;
      const prior = out[key];
      out[key] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [String(prior), v];
    }
    this.res.writeHead(status, out);
    // Send the head now: a client waiting on the first chunk should not wait on Nagle or buffering.
    this.res.flushHeaders();
  }
}

/**
 * A streamed response collected whole (InvokeMode BUFFERED): the client gets it at once, with a
 * content length, mapped like the streaming case.
 */
export class BufferedStreamSink implements ResponseStreamSink {
  started = false;
  ended = false;
  failed = false;
  private contentType = 'application/octet-stream';
  private readonly chunks: Buffer[] = [];

  start(contentType: string): void {
    this.started = true;
    this.contentType = contentType;
  }

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  end(error?: { errorType: string; body: Buffer }): void {
    this.ended = true;
    if (error) this.failed = true;
  }

  /** Status, headers and body; null when the stream failed. */
  reply(): { status: number; headers: Array<[string, string]>; body: Buffer } | null {
    if (this.failed || !this.ended) return null;
    const all = Buffer.concat(this.chunks);
    if (this.contentType.split(';', 1)[0]!.trim() !== HTTP_INTEGRATION_CONTENT_TYPE) {
      return { status: 200, headers: [['content-type', this.contentType]], body: all };
    }
    const at = all.indexOf(PRELUDE_DELIMITER);
    let status = 200;
    const headers: Array<[string, string]> = [];
    let body = all;
    if (at >= 0) {
      try {
        const doc = JSON.parse(all.subarray(0, at).toString('utf8')) as Record<string, unknown>;
        if (typeof doc.statusCode === 'number') status = doc.statusCode;
        for (const [k, v] of Object.entries((doc.headers as Record<string, unknown> | undefined) ?? {})) headers.push([k, String(v)]);
        if (Array.isArray(doc.cookies)) for (const c of doc.cookies) headers.push(['set-cookie', String(c)]);
        body = all.subarray(at + PRELUDE_DELIMITER.length);
      } catch {
        // Not a prelude after all: the bytes are the body.
      }
    }
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/octet-stream']);
    return { status, headers, body };
  }
}
