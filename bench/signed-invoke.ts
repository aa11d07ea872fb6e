// One Invoke as a lean client sends it: signed with the SDK's own SigV4 signer and sent over
// keep-alive HTTP, without the rest of the SDK's middleware. Every request is the same but for its
// X-Amz-Date (whole seconds), so the signer runs once per second and the requests of that second
// carry its headers, as the SDK would have signed each of them; the server verifies every one.
import { Agent, request } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
}

export interface LeanInvoker {
  /** Invokes the function on the server at `url`; resolves whether the answer was a success of the invocation type. */
  invoke(url: URL): Promise<boolean>;
  /** Closes the kept-alive sockets, so the process can end. */
  close(): void;
}

export function leanInvoker(options: { functionName: string; invocationType: 'RequestResponse' | 'Event'; maxSockets: number }): LeanInvoker {
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'lambda', sha256: Sha256 });
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const path = `/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;
  const body = Buffer.from('{"bench":true}');
  const expected = options.invocationType === 'Event' ? 202 : 200;
  let signed: { second: number; host: string; headers: Promise<Record<string, string>> } | undefined;
  const headersFor = (url: URL): Promise<Record<string, string>> => {
    const second = Math.floor(Date.now() / 1000);
    if (signed?.second !== second || signed.host !== url.host) {
      const request = new HttpRequest({
        method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path,
        headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(body.length), 'x-amz-invocation-type': options.invocationType },
        body,
      });
      signed = { second, host: url.host, headers: signer.sign(request, { signingDate: new Date(second * 1000) }).then((r) => r.headers) };
    }
    return signed.headers;
  };
  const invoke = async (url: URL): Promise<boolean> => {
    const headers = await headersFor(url);
    return new Promise((resolve) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent }, (res) => {
        const ok = res.statusCode === expected && res.headers['x-amz-function-error'] === undefined;
        res.resume();
        res.on('end', () => resolve(ok));
        res.on('error', () => resolve(false));
      });
      req.on('error', () => resolve(false));
      req.end(body);
    });
  };
  return { invoke, close: () => agent.destroy() };
}
