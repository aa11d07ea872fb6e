import type { QueryParams } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import { readActions } from './actions.js';
import { ruleArn } from './arns.js';
import { readConditions } from './conditions.js';
import type { ElbDeps } from './deps.js';
import { errors } from './errors.js';
import { RULE_PRIORITY_MAX, RULE_PRIORITY_MIN } from './limits.js';
import type { ListenerDoc, RuleDoc, Scope } from './model.js';

function readPriority(params: QueryParams): number {
  const text = params.get('Priority');
  if (text === undefined) throw errors.missingParameter('priority');
  const priority = Number(text);
  if (!Number.isInteger(priority) || priority < RULE_PRIORITY_MIN || priority > RULE_PRIORITY_MAX) {
    throw errors.validation(`1 validation error detected: Value '${text}' at 'priority' failed to satisfy constraint: Member must have value between ${RULE_PRIORITY_MIN} and ${RULE_PRIORITY_MAX}`);
  }
  return priority;
}

/** The listener's default rule, which DescribeRules lists last with priority `default`. */
function defaultRule(listener: ListenerDoc): RuleDoc {
  return { RuleArn: `${listener.ListenerArn.replace(':listener/', ':listener-rule/')}/default`, Priority: 'default', Conditions: [], Actions: listener.DefaultActions, IsDefault: true };
}

export async function createRule(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const listenerArn = params.get('ListenerArn');
  if (!listenerArn) throw errors.missingParameter('listenerArn');
  const priority = readPriority(params);
  const conditions = readConditions(params);
  if (conditions.length === 0) throw errors.missingParameter('conditions');
  const actions = await readActions(deps.store, params, 'Actions');
  if (!(await deps.store.get('listener', listenerArn))) throw errors.listenerNotFound();
  const siblings = await deps.store.children<RuleDoc>('rule', listenerArn);
  if (siblings.some((r) => r.doc.Priority === String(priority))) throw errors.priorityInUse(priority);
  const arn = ruleArn(listenerArn);
  const doc: RuleDoc = { RuleArn: arn, Priority: String(priority), Conditions: conditions, Actions: actions, IsDefault: false };
  await deps.store.put('rule', scope, { arn, name: arn, parentArn: listenerArn, port: null, doc }, deps.clock.now());
  return { Rules: [doc as unknown as XmlValue] };
}

export async function describeRules(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const listenerArn = params.get('ListenerArn');
  const arns = params.scalarList('RuleArns');
  if (!listenerArn && arns.length === 0) throw errors.validation('You must specify either listener rule ARNs or a listener ARN');
  let rules: RuleDoc[];
  if (listenerArn) {
    const listener = await deps.store.get<ListenerDoc>('listener', listenerArn);
    if (!listener) throw errors.listenerNotFound();
    rules = (await deps.store.children<RuleDoc>('rule', listenerArn)).map((r) => r.doc);
    rules.sort((a, b) => Number(a.Priority) - Number(b.Priority));
    rules.push(defaultRule(listener.doc));
  } else {
    rules = [];
    for (const arn of arns) {
      const row = await deps.store.get<RuleDoc>('rule', arn);
      if (!row) throw errors.ruleNotFound();
      rules.push(row.doc);
    }
  }
  void scope;
  return { Rules: rules as unknown as XmlValue };
}

export async function modifyRule(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arn = params.get('RuleArn');
  if (!arn) throw errors.missingParameter('ruleArn');
  const row = await deps.store.get<RuleDoc>('rule', arn);
  if (!row) throw errors.ruleNotFound();
  if (params.hasUnder('Conditions')) row.doc.Conditions = readConditions(params);
  if (params.hasUnder('Actions')) row.doc.Actions = await readActions(deps.store, params, 'Actions');
  await deps.store.put('rule', scope, row, deps.clock.now());
  return { Rules: [row.doc as unknown as XmlValue] };
}

export async function setRulePriorities(deps: ElbDeps, scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const updated: RuleDoc[] = [];
  for (const entry of params.list('RulePriorities')) {
    const arn = entry.get('RuleArn');
    const row = arn ? await deps.store.get<RuleDoc>('rule', arn) : undefined;
    if (!row) throw errors.ruleNotFound();
    const priority = readPriority(entry);
    const clash = (await deps.store.children<RuleDoc>('rule', row.parentArn ?? '')).find((r) => r.arn !== row.arn && r.doc.Priority === String(priority));
    if (clash) throw errors.priorityInUse(priority);
    row.doc.Priority = String(priority);
    await deps.store.put('rule', scope, row, deps.clock.now());
    updated.push(row.doc);
  }
  return { Rules: updated as unknown as XmlValue };
}

export async function deleteRule(deps: ElbDeps, _scope: Scope, params: QueryParams): Promise<Record<string, XmlValue>> {
  const arn = params.get('RuleArn');
  if (!arn) throw errors.missingParameter('ruleArn');
  if (arn.endsWith('/default')) throw errors.operationNotPermitted('Default rule cannot be deleted');
  if (!(await deps.store.get('rule', arn))) throw errors.ruleNotFound();
  await deps.store.delete(arn);
  return {};
}
