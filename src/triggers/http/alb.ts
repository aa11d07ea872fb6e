import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActionDoc, ListenerDoc, RuleDoc, TargetGroupState } from '../../services/elbv2/model.js';
import type { ElbStore } from '../../services/elbv2/store.js';
import type { Logger } from '../../logger.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import { albErrorPage, albEvent, replyFromAlb } from './alb-event.js';
import { matchRule } from './alb-rules.js';
import { writeReply, type HttpReply } from './http-reply.js';
import { readIncoming, splitUrl, type IncomingHttpRequest } from './incoming.js';
import { invokeForDoor } from './invoke-function.js';
import { ALB_MAX_REQUEST_BYTES } from './limits.js';

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;

/** One listener's rules, sorted, and the target groups they use: read once per configuration change. */
interface Routing {
  generation: number;
  listener: ListenerDoc;
  rules: RuleDoc[];
  targetGroups: Map<string, TargetGroupState>;
}

/** Serves the HTTP and HTTPS listeners of Application Load Balancers: rules → action → Lambda target. */
export class AlbDoor {
  private readonly routing = new Map<string, Routing>();

  constructor(
    private readonly deps: { invoker: FunctionInvoker; logger: Logger },
    private readonly elb: ElbStore,
  ) {}

  handler(listenerArn: string, port: number) {
    return (req: IncomingMessage, res: ServerResponse) => {
      this.serve(listenerArn, port, req, res).catch((err: unknown) => {
        this.deps.logger.error({ err }, 'ALB listener failure');
        if (!res.headersSent) writeReply(res, albErrorPage(502));
        else res.destroy();
      });
    };
  }

  private async serve(listenerArn: string, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { rawPath, rawQuery } = splitUrl(req.url ?? '/');
    const request = await readIncoming(req, rawPath, rawQuery, ALB_MAX_REQUEST_BYTES);
    if (!request) return writeReply(res, albErrorPage(413, '413 Request Entity Too Large'));
    const routing = await this.routingFor(listenerArn);
    if (!routing) return writeReply(res, albErrorPage(503, '503 Service Temporarily Unavailable'));
    addAlbHeaders(request, port, routing.listener.Protocol === 'HTTPS' ? 'https' : 'http');
    const actions = matchRule(routing.rules, routing.listener.DefaultActions, request);
    writeReply(res, await this.act(actions, routing, request));
  }

  private async act(actions: ActionDoc[], routing: Routing, request: IncomingHttpRequest): Promise<HttpReply> {
    const action = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))[0];
    if (!action) return albErrorPage(503, '503 Service Temporarily Unavailable');
    if (action.Type === 'fixed-response') {
      const fixed = action.FixedResponseConfig!;
      return { status: Number(fixed.StatusCode), headers: [['server', 'awselb/2.0'], ['content-type', fixed.ContentType ?? 'text/plain; charset=utf-8']], body: Buffer.from(fixed.MessageBody ?? '') };
    }
    const group = action.TargetGroupArn ? routing.targetGroups.get(action.TargetGroupArn) : undefined;
    const target = group?.targets[0];
    const m = target ? LAMBDA_FUNCTION_ARN.exec(target) : null;
    if (!group || !m) return albErrorPage(503, '503 Service Temporarily Unavailable');
    const scope = { region: m[1]!, accountId: m[2]! };
    // Lambda judges its policy on every invoke: a permission removed after RegisterTargets is a 502.
    const ref = { scope, name: m[3]!, qualifier: m[4] ?? null };
    const allowed = await this.deps.invoker.isAllowed(ref, {
      action: 'lambda:InvokeFunction', principalService: 'elasticloadbalancing.amazonaws.com', sourceArn: group.doc.TargetGroupArn, sourceAccount: scopeAccount(group.doc.TargetGroupArn),
    });
    if (!allowed) return albErrorPage(502, '502 Bad Gateway');
    const multiValue = group.attributes['lambda.multi_value_headers.enabled'] === 'true';
    const event = albEvent(request, group.doc.TargetGroupArn, multiValue);
    const traceId = `${request.headers.get('x-amzn-trace-id')![0]!};Parent=${randomUUID().replace(/-/g, '').slice(0, 16)};Sampled=0`;
    const outcome = await invokeForDoor(
      this.deps.invoker,
      ref,
      Buffer.from(JSON.stringify(event)),
      randomUUID(),
      traceId,
    );
    if (outcome.kind === 'throttled') return albErrorPage(503, '503 Service Temporarily Unavailable');
    if (outcome.kind !== 'answered' || outcome.functionError) return albErrorPage(502, '502 Bad Gateway');
    return replyFromAlb(outcome.payload, multiValue) ?? albErrorPage(502, '502 Bad Gateway');
  }

  private async routingFor(listenerArn: string): Promise<Routing | undefined> {
    const cached = this.routing.get(listenerArn);
    if (cached && cached.generation === this.elb.generation) return cached;
    const generation = this.elb.generation;
    const listener = await this.elb.get<ListenerDoc>('listener', listenerArn);
    if (!listener) return undefined;
    const rules = (await this.elb.children<RuleDoc>('rule', listenerArn)).map((r) => r.doc).sort((a, b) => Number(a.Priority) - Number(b.Priority));
    const targetGroups = new Map<string, TargetGroupState>();
    for (const action of [...listener.doc.DefaultActions, ...rules.flatMap((r) => r.Actions)]) {
      if (!action.TargetGroupArn || targetGroups.has(action.TargetGroupArn)) continue;
      const group = await this.elb.get<TargetGroupState>('targetgroup', action.TargetGroupArn);
      if (group) targetGroups.set(action.TargetGroupArn, group.doc);
    }
    const routing = { generation, listener: listener.doc, rules, targetGroups };
    this.routing.set(listenerArn, routing);
    return routing;
  }
}

function scopeAccount(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** What ALB adds: `X-Amzn-Trace-Id` (kept if the client sent one) and the `X-Forwarded-*` trio. */
function addAlbHeaders(request: IncomingHttpRequest, port: number, proto: 'http' | 'https'): void {
  const trace = request.headers.get('x-amzn-trace-id')?.[0];
  if (!trace || !trace.startsWith('Root=')) {
    const epoch = Math.floor(request.receivedAt / 1000).toString(16).padStart(8, '0');
    request.headers.set('x-amzn-trace-id', [`Root=1-${epoch}-${randomUUID().replace(/-/g, '').slice(0, 24)}`]);
  }
  const forwarded = request.headers.get('x-forwarded-for');
  request.headers.set('x-forwarded-for', [forwarded ? `${forwarded.join(', ')}, ${request.sourceIp}` : request.sourceIp]);
  request.headers.set('x-forwarded-port', [String(port)]);
  request.headers.set('x-forwarded-proto', [proto]);
}
