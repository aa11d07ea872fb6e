import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { principalOf } from '../../auth/credentials.js';
import type { PolicySource } from '../../contracts/authorization.js';
import { callerAddress } from '../../contracts/function-traffic.js';
import { AwsError } from '../../contracts/aws-error.js';
import type { SigV4Verifier, VerifiedCaller } from '../../auth/sigv4-verify.js';
import { newTraceId } from '../../engine/trace-id.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import type { FunctionUrlLookup } from '../../services/lambda/function-url-lookup.js';
import { applyCors, isPreflight, preflightReply, type CorsConfig } from './cors.js';
import { textReply, writeReply, type HttpReply } from './http-reply.js';
import { BufferedStreamSink, HttpStreamSink } from './stream-reply.js';
import { firstHeader, readIncoming, type IncomingHttpRequest } from './incoming.js';
import { invokeForDoor } from './invoke-function.js';
import { FUNCTION_URL_MAX_REQUEST_BYTES } from './limits.js';
import { payloadV2Event } from './payload-v2.js';
import { replyFromV2 } from './response-v2.js';

const FORBIDDEN_MESSAGE =
  'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html';

export const urlReplies = {
  forbidden: (): HttpReply =>
    textReply(403, 'application/json', JSON.stringify({ Message: FORBIDDEN_MESSAGE }), [['x-amzn-ErrorType', 'AccessDeniedException']]),
  notFound: (): HttpReply => textReply(404, 'application/json', '{"Message":null}'),
  tooLarge: (): HttpReply =>
    textReply(413, 'application/json', JSON.stringify({ Message: `Request must be smaller than ${FUNCTION_URL_MAX_REQUEST_BYTES} bytes for the InvokeFunction operation` }), [
      ['x-amzn-ErrorType', 'RequestEntityTooLargeException'],
    ]),
  functionError: (): HttpReply => textReply(502, 'application/json', 'Internal Server Error', [['x-amzn-ErrorType', 'LambdaFunctionError']]),
  throttled: (): HttpReply => textReply(429, 'application/json', '{"Message":"Rate Exceeded."}', [['x-amzn-ErrorType', 'TooManyRequestsException']]),
};

export interface UrlRequestTarget {
  urlId: string;
  /** Path the function sees (the path-style prefix removed). */
  rawPath: string;
  rawQuery: string;
  /** Path as the client sent it, which is what a SigV4 signature covers. */
  signedPath: string;
}

/** Serves function URLs: auth (NONE policy or SigV4), CORS, the 2.0 event, the response mapping. */
export class FunctionUrlDoor {
  constructor(
    private readonly deps: { invoker: FunctionInvoker; urls: FunctionUrlLookup; policies?: PolicySource },
    private readonly verifier: SigV4Verifier,
  ) {}

  async serve(req: IncomingMessage, res: ServerResponse, target: UrlRequestTarget): Promise<void> {
    const requestId = randomUUID();
    const request = await readIncoming(req, target.rawPath, target.rawQuery, FUNCTION_URL_MAX_REQUEST_BYTES);
    if (!request) return writeReply(res, urlReplies.tooLarge(), requestId);
    const reply = await this.answer(req, res, request, target, requestId);
    if (reply) writeReply(res, reply, requestId);
  }

  /** Whether a role session's or user's policies allow `lambda:InvokeFunctionUrl` on the function (AWS_IAM URLs). */
  private async identityAllows(caller: VerifiedCaller, ref: { scope: { region: string; accountId: string }; name: string; qualifier: string | null }, sourceIp: string): Promise<boolean> {
    const principal = principalOf(caller.credential);
    if (principal.kind === 'account') return true;
    const policies = await this.deps.policies?.policiesFor(principal);
    if (!policies) return true;
    const arn = `arn:aws:lambda:${ref.scope.region}:${ref.scope.accountId}:function:${ref.name}${ref.qualifier ? `:${ref.qualifier}` : ''}`;
    const context = new Map<string, string>([
      ['aws:SourceIp', sourceIp.replace(/^::ffff:/, '')],
      ['aws:CurrentTime', new Date().toISOString()],
      ['aws:PrincipalAccount', principal.accountId],
      ['lambda:FunctionUrlAuthType', 'AWS_IAM'],
    ]);
    return policies.decide('lambda:InvokeFunctionUrl', arn, context) === 'allow';
  }

  /** The reply to write, or null when a streamed response was already written. */
  private async answer(req: IncomingMessage, res: ServerResponse, request: IncomingHttpRequest, target: UrlRequestTarget, requestId: string): Promise<HttpReply | null> {
    const url = await this.deps.urls.find(target.urlId);
    if (!url) return urlReplies.notFound();
    const { ref, config } = url;
    const origin = firstHeader(request, 'origin');
    if (config.Cors && isPreflight(request.method, origin, firstHeader(request, 'access-control-request-method'))) {
      return preflightReply(config.Cors, origin!, firstHeader(request, 'access-control-request-method')!, firstHeader(request, 'access-control-request-headers'));
    }

    let caller: VerifiedCaller | undefined;
    if (config.AuthType === 'AWS_IAM') {
      try {
        caller = await this.verifier.verify({ method: request.method, rawPath: target.signedPath, query: new URLSearchParams(request.rawQuery), headers: req.headers, body: request.body });
      } catch (err) {
        if (err instanceof AwsError) return urlReplies.forbidden();
        throw err;
      }
      // Same-account callers need their identity to allow it (account keys always do); others need the function's policy.
      if (caller.credential.accountId === ref.scope.accountId) {
        if (!(await this.identityAllows(caller, ref, callerAddress(req.socket)))) return urlReplies.forbidden();
      } else {
        const allowed = await this.deps.invoker.isAllowed(ref, {
          action: 'lambda:InvokeFunctionUrl', principalArn: `arn:aws:iam::${caller.credential.accountId}:root`, functionUrlAuthType: 'AWS_IAM',
        });
        if (!allowed) return urlReplies.forbidden();
      }
    } else {
      const allowed = await this.deps.invoker.isAllowed(ref, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' });
      if (!allowed) return urlReplies.forbidden();
    }

    const traceId = incomingTrace(request) ?? newTraceId();
    addForwardedHeaders(request, traceId);
    const domainName = request.hostname.includes('.lambda-url.') ? request.hostname : `${target.urlId}.lambda-url.${ref.scope.region}.localhost`;
    const event = payloadV2Event(request, {
      accountId: caller ? caller.credential.accountId : 'anonymous',
      apiId: target.urlId,
      domainName,
      domainPrefix: target.urlId,
      requestId,
      routeKey: '$default',
      stage: '$default',
      authorizer: caller ? iamAuthorizer(caller) : undefined,
    });
    const payload = Buffer.from(JSON.stringify(event));
    const corsHeaders = config.Cors ? applyCors({ status: 200, headers: [], body: Buffer.alloc(0) }, config.Cors, origin).headers : [];
    const sink = config.InvokeMode === 'RESPONSE_STREAM'
      ? new HttpStreamSink(res, [...corsHeaders, ['x-amzn-RequestId', requestId]], () => writeReply(res, urlReplies.functionError(), requestId))
      : new BufferedStreamSink();
    const outcome = await invokeForDoor(this.deps.invoker, ref, payload, requestId, traceId, sink);
    if (sink.started) {
      if (sink instanceof BufferedStreamSink) {
        const streamed = sink.reply();
        return streamed ? (config.Cors ? applyCors(streamed, config.Cors, origin) : streamed) : urlReplies.functionError();
      }
      // A timeout or crash mid-stream settles the invocation without ending the stream.
      if (!sink.ended) sink.end(outcome.kind === 'answered' && !outcome.functionError ? undefined : { errorType: 'Function.Error', body: Buffer.alloc(0) });
      return null;
    }
    if (outcome.kind === 'missing') return urlReplies.forbidden();
    if (outcome.kind === 'throttled') return urlReplies.throttled();
    if (outcome.functionError) return urlReplies.functionError();
    const reply = replyFromV2(outcome.payload) ?? urlReplies.functionError();
    return config.Cors ? applyCors(reply, config.Cors, origin) : reply;
  }
}

function incomingTrace(request: IncomingHttpRequest): string | undefined {
  const value = firstHeader(request, 'x-amzn-trace-id');
  return value && value.includes('Root=') ? value : undefined;
}

/** What AWS's front end adds before the event is built. */
function addForwardedHeaders(request: IncomingHttpRequest, traceId: string): void {
  request.headers.set('x-amzn-trace-id', [traceId.split(';')[0]!]);
  const forwarded = request.headers.get('x-forwarded-for');
  request.headers.set('x-forwarded-for', forwarded ? [...forwarded, request.sourceIp] : [request.sourceIp]);
  request.headers.set('x-forwarded-proto', ['http']);
  request.headers.set('x-forwarded-port', [String(request.localPort)]);
}

function iamAuthorizer(caller: VerifiedCaller): Record<string, unknown> {
  const { accessKeyId, accountId } = caller.credential;
  return {
    iam: {
      accessKey: accessKeyId, accountId, callerId: accountId, cognitoIdentity: null, principalOrgId: null,
      userArn: `arn:aws:iam::${accountId}:root`, userId: accountId,
    },
  };
}
