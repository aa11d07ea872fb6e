import type { QueryParams } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import { targetGroupArn } from './arns.js';
import type { ElbDeps } from './deps.js';
import { errors } from './errors.js';
import { LAMBDA_TARGETS_MAX } from './limits.js';
import { TARGET_GROUP_DEFAULT_ATTRIBUTES, type ActionDoc, type ListenerDoc, type RuleDoc, type Scope, type TargetGroupDoc, type TargetGroupState } from './model.js';
import { checkName } from './names.js';

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;
const ELB_PRINCIPAL = 'elasticloadbalancing.amazonaws.com';

export async function createTargetGroup(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const name = checkName(params.get('Name'), 'target group');
  const targetType = params.get('TargetType') ?? 'instance';
  if (targetType !== 'lambda') throw errors.validation(`Target type '${targetType}' is not supported by Lambkin; use 'lambda'`);
  for (const key of ['Protocol', 'Port', 'VpcId']) {
    if (params.get(key) !== undefined) throw errors.validation(`${key === 'VpcId' ? 'A VPC ID' : `A ${key.toLowerCase()}`} cannot be specified for target groups with target type 'lambda'`);
  }
  const existing = await deps.store.byName<TargetGroupState>('targetgroup', scope, name);
  if (existing) return { TargetGroups: [await describe(deps, scope, existing.doc.doc)] };
  const arn = targetGroupArn(scope, name);
  const healthCheckEnabled = params.get('HealthCheckEnabled') === 'true';
  const doc: TargetGroupDoc = {
    TargetGroupArn: arn,
    TargetGroupName: name,
    HealthCheckEnabled: healthCheckEnabled,
    HealthCheckIntervalSeconds: Number(params.get('HealthCheckIntervalSeconds') ?? 35),
    HealthCheckPath: params.get('HealthCheckPath') ?? '/',
    HealthCheckTimeoutSeconds: Number(params.get('HealthCheckTimeoutSeconds') ?? 30),
    HealthyThresholdCount: Number(params.get('HealthyThresholdCount') ?? 5),
    UnhealthyThresholdCount: Number(params.get('UnhealthyThresholdCount') ?? 2),
    Matcher: { HttpCode: '200' },
    LoadBalancerArns: [],
    TargetType: 'lambda',
  };
  const state: TargetGroupState = { doc, attributes: { ...TARGET_GROUP_DEFAULT_ATTRIBUTES }, targets: [] };
  await deps.store.put('targetgroup', scope, { arn, name, parentArn: null, port: null, doc: state }, deps.clock.now());
  return { TargetGroups: [doc as unknown as XmlValue] };
}

/** The description with `LoadBalancerArns` filled in from the listeners and rules that use it. */
async function describe(deps: ElbDeps, scope: Scope, doc: TargetGroupDoc): Promise<XmlValue> {
  const users = await loadBalancersUsing(deps, scope, doc.TargetGroupArn);
  return { ...doc, LoadBalancerArns: users } as unknown as XmlValue;
}

async function loadBalancersUsing(deps: ElbDeps, scope: Scope, tgArn: string): Promise<string[]> {
  const uses = (actions: ActionDoc[]) => actions.some((a) => a.TargetGroupArn === tgArn);
  const lbs = new Set<string>();
  for (const listener of await deps.store.list<ListenerDoc>('listener', scope)) {
    if (uses(listener.doc.DefaultActions)) lbs.add(listener.doc.LoadBalancerArn);
    for (const rule of await deps.store.children<RuleDoc>('rule', listener.arn)) if (uses(rule.doc.Actions)) lbs.add(listener.doc.LoadBalancerArn);
  }
  return [...lbs];
}

export async function describeTargetGroups(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arns = params.scalarList('TargetGroupArns');
  const names = params.scalarList('Names');
  const lbArn = params.get('LoadBalancerArn');
  const all = await deps.store.list<TargetGroupState>('targetgroup', scope);
  let found = all;
  if (arns.length > 0) {
    found = all.filter((r) => arns.includes(r.arn));
    if (found.length !== new Set(arns).size) throw errors.targetGroupNotFound();
  } else if (names.length > 0) {
    found = all.filter((r) => names.includes(r.name));
    if (found.length !== new Set(names).size) throw errors.targetGroupNotFound();
  }
  const described = await Promise.all(found.map((r) => describe(deps, scope, r.doc.doc)));
  const filtered = lbArn ? described.filter((d) => ((d as unknown as TargetGroupDoc).LoadBalancerArns).includes(lbArn)) : described;
  if (lbArn && !(await deps.store.get('loadbalancer', lbArn))) throw errors.loadBalancerNotFound();
  return { TargetGroups: filtered };
}

export async function deleteTargetGroup(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arn = params.get('TargetGroupArn');
  if (!arn) throw errors.missingParameter('targetGroupArn');
  if (!(await deps.store.get('targetgroup', arn))) return {};
  if ((await loadBalancersUsing(deps, scope, arn)).length > 0) throw errors.resourceInUse(arn);
  await deps.store.delete(arn);
  return {};
}

async function requireTargetGroup(deps: ElbDeps, params: QueryParams) {
  const arn = params.get('TargetGroupArn');
  if (!arn) throw errors.missingParameter('targetGroupArn');
  const row = await deps.store.get<TargetGroupState>('targetgroup', arn);
  if (!row) throw errors.targetGroupNotFound();
  return row;
}

function targetIds(params: QueryParams): string[] {
  const targets = params.structureList('Targets');
  if (targets.length === 0) throw errors.missingParameter('targets');
  return targets.map((t, i) => {
    const id = t.get('Id');
    if (!id) throw errors.missingParameter(`targets.${i + 1}.member.id`);
    return id;
  });
}

/** As on AWS, the function's policy must let `elasticloadbalancing.amazonaws.com` invoke it. */
export async function registerTargets(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const row = await requireTargetGroup(deps, params);
  const ids = targetIds(params);
  const targets = new Set(row.doc.targets);
  for (const id of ids) {
    const m = LAMBDA_FUNCTION_ARN.exec(id);
    if (!m) throw errors.invalidTarget(`The target ID '${id}' is not a valid Lambda function ARN`);
    const [, region, accountId, name, qualifier] = m;
    const allowed = await deps.invokePolicy.allowsInvoke(
      { accountId: accountId!, region: region!, functionName: name!, qualifier: qualifier ?? null },
      { principalService: ELB_PRINCIPAL, sourceArn: row.arn, sourceAccount: scope.accountId },
    );
    if (!allowed) throw errors.lambdaPermission(id, row.arn);
    targets.add(id);
  }
  if (targets.size > LAMBDA_TARGETS_MAX) throw errors.tooManyTargets();
  row.doc.targets = [...targets];
  await deps.store.put('targetgroup', scope, row, deps.clock.now());
  return {};
}

export async function deregisterTargets(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const row = await requireTargetGroup(deps, params);
  const ids = new Set(targetIds(params));
  for (const id of ids) if (!row.doc.targets.includes(id)) throw errors.invalidTarget(`The following targets are not registered in target group '${row.arn}': '${id}'`);
  row.doc.targets = row.doc.targets.filter((t) => !ids.has(t));
  await deps.store.put('targetgroup', scope, row, deps.clock.now());
  return {};
}

export async function describeTargetHealth(deps: ElbDeps, _scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const row = await requireTargetGroup(deps, params);
  return {
    TargetHealthDescriptions: row.doc.targets.map((id) => ({
      Target: { Id: id },
      TargetHealth: row.doc.doc.HealthCheckEnabled
        ? { State: 'healthy' }
        : { State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks are disabled' },
    })),
  };
}

const ATTRIBUTE_KEYS = ['lambda.multi_value_headers.enabled'];

export async function modifyTargetGroupAttributes(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const row = await requireTargetGroup(deps, params);
  const attributes = params.structureList('Attributes');
  if (attributes.length === 0) throw errors.missingParameter('attributes');
  for (const a of attributes) {
    const key = a.get('Key') ?? '';
    const value = a.get('Value') ?? '';
    if (!ATTRIBUTE_KEYS.includes(key)) throw errors.invalidConfiguration(`The following target group attributes are not supported for target type 'lambda': '${key}'`);
    if (value !== 'true' && value !== 'false') throw errors.validation(`The value of '${key}' must be 'true' or 'false'`);
    row.doc.attributes[key] = value;
  }
  await deps.store.put('targetgroup', scope, row, deps.clock.now());
  return { Attributes: attributeList(row.doc.attributes) };
}

export async function describeTargetGroupAttributes(deps: ElbDeps, _scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const row = await requireTargetGroup(deps, params);
  return { Attributes: attributeList(row.doc.attributes) };
}

function attributeList(attributes: Record<string, string>): XmlValue {
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
}
