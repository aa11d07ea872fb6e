import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';
import { pollWaiting } from './pipelined-poll.js';

/** GET /2018-06-01/runtime/invocation/next — long-polls until the environment hands over an event. */
export async function handleNext(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  const socket = req.socket;
  let watchingSocket: (() => void) | undefined;
  const onHangUp = (hungUp: () => void) => {
    let told = false;
    // 'close' also fires after a sent answer; only an unanswered poll means the runtime hung up.
    const check = () => {
      if (told || res.writableEnded) return;
      told = true;
      hungUp();
    };
    res.once('close', check);
    // A poll queued behind an earlier reply on its connection (pipelined) is not told when the
    // connection drops, until it is the connection's current reply: watch the connection itself.
    if (!res.socket) {
      watchingSocket = check;
      socket.once('close', check);
    }
  };
  const poll = pollWaiting(socket);
  let invocation;
  try {
    invocation = await host.nextInvocation(onHangUp);
  } catch {
    return; // the runtime went away while waiting
  } finally {
    poll.settled();
    if (watchingSocket) socket.off('close', watchingSocket);
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
