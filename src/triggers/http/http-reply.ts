import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** An HTTP answer of a front door: headers may repeat (`set-cookie`). */
export interface HttpReply {
  status: number;
  statusMessage?: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

export function textReply(status: number, contentType: string, body: string, extra: Array<[string, string]> = []): HttpReply {
  return { status, headers: [['content-type', contentType], ...extra], body: Buffer.from(body) };
}

/** Writes the reply; `content-length` is always ours, as AWS's front doors compute it. */
export function writeReply(res: ServerResponse, reply: HttpReply, requestId?: string): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of reply.headers) {
    const key = name.toLowerCase();
    if (key === 'content-length' || key === 'transfer-encoding' || key === 'connection') continue;
    const prior = headers[key];
    if (prior === undefined) headers[key] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else headers[key] = key === 'set-cookie' ? [String(prior), value] : `${String(prior)},${value}`;
  }
  if (requestId && headers['x-amzn-requestid'] === undefined) headers['x-amzn-RequestId'] = requestId;
  headers['content-length'] = reply.body.length;
  if (reply.statusMessage) res.writeHead(reply.status, reply.statusMessage, headers);
  else res.writeHead(reply.status, headers);
  res.end(reply.body);
}
