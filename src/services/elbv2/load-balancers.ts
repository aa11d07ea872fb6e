import { randomBytes } from 'node:crypto';
import type { QueryParams } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import { loadBalancerArn } from './arns.js';
import type { ElbDeps } from './deps.js';
import { errors } from './errors.js';
import type { ListenerDoc, LoadBalancerDoc, Scope } from './model.js';
import { checkName } from './names.js';
import { deleteListenerAndRules } from './listeners.js';

export async function createLoadBalancer(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const name = checkName(params.get('Name'), 'load balancer');
  const type = params.get('Type') ?? 'application';
  if (type !== 'application') throw errors.validation(`Load balancer type '${type}' is not supported by Lambkin; only 'application' load balancers serve Lambda targets`);
  const scheme = params.get('Scheme') ?? 'internet-facing';
  const subnets = params.scalarList('Subnets');
  const existing = await deps.store.byName<LoadBalancerDoc>('loadbalancer', scope, name);
  if (existing) {
    // AWS answers an identical repeat with the existing load balancer.
    if (existing.doc.Scheme !== scheme) throw errors.duplicateLoadBalancerName(name);
    return { LoadBalancers: [existing.doc as unknown as XmlValue] };
  }
  const arn = loadBalancerArn(scope, name);
  const now = deps.clock.now();
  const zones = ['a', 'b'];
  const doc: LoadBalancerDoc = {
    LoadBalancerArn: arn,
    DNSName: `${name}-${parseInt(randomBytes(4).toString('hex'), 16)}.${scope.region}.elb.localhost`,
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    CreatedTime: new Date(now).toISOString(),
    LoadBalancerName: name,
    Scheme: scheme,
    VpcId: 'vpc-lambkin',
    // Nothing to provision locally: the load balancer is usable at once.
    State: { Code: 'active' },
    Type: type,
    AvailabilityZones: (subnets.length > 0 ? subnets : ['subnet-lambkin-a', 'subnet-lambkin-b']).map((s, i) => ({ ZoneName: `${scope.region}${zones[i % 2]}`, SubnetId: s })),
    SecurityGroups: params.scalarList('SecurityGroups'),
    IpAddressType: params.get('IpAddressType') ?? 'ipv4',
  };
  await deps.store.put('loadbalancer', scope, { arn, name, parentArn: null, port: null, doc }, now);
  return { LoadBalancers: [doc as unknown as XmlValue] };
}

export async function describeLoadBalancers(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arns = params.scalarList('LoadBalancerArns');
  const names = params.scalarList('Names');
  const all = await deps.store.list<LoadBalancerDoc>('loadbalancer', scope);
  let found = all;
  if (arns.length > 0) {
    found = all.filter((r) => arns.includes(r.arn));
    if (found.length !== new Set(arns).size) throw errors.loadBalancerNotFound();
  } else if (names.length > 0) {
    found = all.filter((r) => names.includes(r.name));
    if (found.length !== new Set(names).size) throw errors.loadBalancerNotFound();
  }
  return { LoadBalancers: found.map((r) => r.doc as unknown as XmlValue) };
}

export async function deleteLoadBalancer(deps: ElbDeps, _scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arn = params.get('LoadBalancerArn');
  if (!arn) throw errors.missingParameter('loadBalancerArn');
  // Deleting one that does not exist succeeds, as on AWS.
  if (!(await deps.store.get('loadbalancer', arn))) return {};
  for (const listener of await deps.store.children<ListenerDoc>('listener', arn)) await deleteListenerAndRules(deps, listener.arn);
  await deps.store.delete(arn);
  return {};
}
