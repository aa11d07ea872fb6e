import { resolveParameters } from '../template/parameters.js';
import type { ResolveScope } from '../template/intrinsics.js';
import type { TemplateObject } from '../template/parse.js';
import type { StackIdentity } from '../template/pseudo.js';
import type { StackResource } from '../tables/stack-resources.js';
import type { Stack } from '../tables/stacks.js';

const LIVE = /(CREATE|UPDATE)_COMPLETE$|UPDATE_IN_PROGRESS$|UPDATE_FAILED$/;

export function stackIdentity(stack: Stack): StackIdentity {
  return {
    accountId: stack.account_id,
    region: stack.region,
    stackName: stack.stack_name,
    stackId: stack.stack_id,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    notificationArns: stack.doc.notificationArns,
  };
}

/** The stack's parameter values again, from what was stored (checked when the operation was accepted). */
export function storedParameters(template: TemplateObject, raw: Record<string, string>, ssmValues: Record<string, string> = {}): Map<string, string | string[]> {
  return resolveParameters(template.Parameters as TemplateObject | undefined, Object.entries(raw).map(([key, value]) => ({ key, value })), {}, (name) => ssmValues[name]).values;
}

/** What intrinsics read while a stack's template is resolved against its resources as they are now. */
export function resolveScope(
  stack: Stack,
  template: TemplateObject,
  parameters: ReadonlyMap<string, string | string[]>,
  conditions: ReadonlyMap<string, boolean>,
  state: ReadonlyMap<string, StackResource>,
  exports: ReadonlyMap<string, { value: string }>,
  imported: Set<string>,
): ResolveScope {
  return {
    identity: stackIdentity(stack),
    parameters,
    mappings: (template.Mappings ?? {}) as TemplateObject,
    conditions,
    resource(logicalId) {
      const r = state.get(logicalId);
      if (!r || r.physical_id === null || !LIVE.test(r.status)) return undefined;
      return { ref: r.doc.ref ?? r.physical_id, attributes: r.doc.attributes };
    },
    importValue(name) {
      const e = exports.get(name);
      if (e) imported.add(name);
      return e?.value;
    },
  };
}
