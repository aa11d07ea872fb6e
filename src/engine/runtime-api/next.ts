import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';

/** GET /2018-06-01/runtime/invocation/next — long-polls until the environment hands over an event. */
export async function handleNext(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const abort = new AbortController();
  // 'close' also follows every delivered response: only a runtime gone while waiting aborts (an
  // abort builds a DOMException with a stack, a measurable share of each warm invoke).
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  req.resume();
  let invocation;
  try {
    invocation = await host.nextInvocation(abort.signal);
  } catch {
    return; // the runtime went away while waiting
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(invocation.payload.length),
    'lambda-runtime-aws-request-id': invocation.requestId,
    'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
    'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
    'lambda-runtime-trace-id': invocation.traceId,
  };
  // Headers with empty values are omitted, as on AWS.
  if (invocation.clientContext) headers['lambda-runtime-client-context'] = invocation.clientContext;
  if (invocation.cognitoIdentity) headers['lambda-runtime-cognito-identity'] = invocation.cognitoIdentity;
  res.writeHead(200, headers);
  res.end(invocation.payload);
}
