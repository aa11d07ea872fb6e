import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DeleteListenerCommand, DeleteLoadBalancerCommand,
  DeleteRuleCommand, DeleteTargetGroupCommand, ModifyListenerCommand, ModifyRuleCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { num, str, strList, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, type ResourceProvider } from './provider.js';

/** Template actions (`TargetGroupArn`, `FixedResponseConfig` …) as the API takes them (numbers coerced). */
function actions(v: unknown) {
  return ((v as Record<string, unknown>[] | undefined) ?? []).map((a) => ({ ...a, Order: num(a.Order) })) as never;
}

/** A load balancer: its ARN is the physical id and `Ref`. */
export const elbv2LoadBalancer: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const lb = await ctx.clients.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: str(props.Name) ?? generatedName(ctx, 32),
        Type: str(props.Type) as never,
        Scheme: str(props.Scheme) as never,
        Subnets: strList(props.Subnets),
        SecurityGroups: strList(props.SecurityGroups),
        IpAddressType: str(props.IpAddressType) as never,
        Tags: tagList(props.Tags, ctx.stackTags),
      }),
    );
    const l = lb.LoadBalancers![0]!;
    return {
      physicalId: String(l.LoadBalancerArn),
      attributes: { LoadBalancerArn: l.LoadBalancerArn, DNSName: l.DNSName, LoadBalancerName: l.LoadBalancerName, CanonicalHostedZoneID: l.CanonicalHostedZoneId, LoadBalancerFullName: String(l.LoadBalancerArn).split(':loadbalancer/')[1], SecurityGroups: l.SecurityGroups ?? [] },
    };
  },
  async delete(ctx, arn) {
    await ignoreNotFound(ctx.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })));
  },
};

/** A target group (Lambda targets registered from `Targets`): its ARN is the physical id and `Ref`. */
export const elbv2TargetGroup: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const tg = await ctx.clients.elbv2.send(
      new CreateTargetGroupCommand({
        Name: str(props.Name) ?? generatedName(ctx, 32),
        TargetType: str(props.TargetType) as never,
        Protocol: str(props.Protocol) as never,
        Port: num(props.Port),
        VpcId: str(props.VpcId),
        HealthCheckEnabled: props.HealthCheckEnabled === undefined ? undefined : String(props.HealthCheckEnabled) === 'true',
        Tags: tagList(props.Tags, ctx.stackTags),
      }),
    );
    const arn = String(tg.TargetGroups![0]!.TargetGroupArn);
    const targets = (props.Targets as { Id: string; Port?: unknown }[] | undefined) ?? [];
    if (targets.length) await ctx.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: targets.map((t) => ({ Id: String(t.Id), Port: num(t.Port) })) }));
    return { physicalId: arn, attributes: { TargetGroupArn: arn, TargetGroupName: tg.TargetGroups![0]!.TargetGroupName, TargetGroupFullName: arn.split(':')[5], LoadBalancerArns: [] } };
  },
  async delete(ctx, arn) {
    await ignoreNotFound(ctx.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })));
  },
};

/** A listener: its ARN is the physical id and `Ref`. */
export const elbv2Listener: ResourceProvider = {
  replaceOn: ['LoadBalancerArn'],
  async create(ctx, props) {
    const l = await ctx.clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: str(props.LoadBalancerArn), Protocol: str(props.Protocol) as never, Port: num(props.Port), DefaultActions: actions(props.DefaultActions), ...tls(props),
      }),
    );
    const arn = String(l.Listeners![0]!.ListenerArn);
    return { physicalId: arn, attributes: { ListenerArn: arn } };
  },
  async update(ctx, arn, props) {
    await ctx.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: arn, Protocol: str(props.Protocol) as never, Port: num(props.Port), DefaultActions: actions(props.DefaultActions), ...tls(props) }));
  },
  async delete(ctx, arn) {
    await ignoreNotFound(ctx.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: arn })));
  },
};

/** A listener rule: its ARN is the physical id and `Ref`. */
export const elbv2ListenerRule: ResourceProvider = {
  replaceOn: ['ListenerArn', 'Priority'],
  async create(ctx, props) {
    const r = await ctx.clients.elbv2.send(
      new CreateRuleCommand({ ListenerArn: str(props.ListenerArn), Priority: num(props.Priority), Conditions: props.Conditions as never, Actions: actions(props.Actions) }),
    );
    const arn = String(r.Rules![0]!.RuleArn);
    return { physicalId: arn, attributes: { RuleArn: arn, IsDefault: false } };
  },
  async update(ctx, arn, props) {
    await ctx.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: arn, Conditions: props.Conditions as never, Actions: actions(props.Actions) }));
  },
  async delete(ctx, arn) {
    await ignoreNotFound(ctx.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: arn })));
  },
};

/** An HTTPS listener's `Certificates` ([{CertificateArn}]) and `SslPolicy`, when the template gives them. */
function tls(props: Record<string, unknown>): { Certificates?: Array<{ CertificateArn: string }>; SslPolicy?: string } {
  const out: { Certificates?: Array<{ CertificateArn: string }>; SslPolicy?: string } = {};
  if (Array.isArray(props.Certificates)) out.Certificates = props.Certificates.map((c) => ({ CertificateArn: String((c as Record<string, unknown>).CertificateArn) }));
  if (props.SslPolicy !== undefined) out.SslPolicy = String(props.SslPolicy);
  return out;
}
