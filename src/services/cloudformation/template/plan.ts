import { cfnErrors } from '../errors.js';
import { checkAcyclic, resourceDependencies } from './dependencies.js';
import { ResolveError, resolveValue, type ResolveScope } from './intrinsics.js';
import type { TemplateObject } from './parse.js';
import type { StackIdentity } from './pseudo.js';

export interface PlannedResource {
  logicalId: string;
  type: string;
  /** Properties as written (intrinsics unresolved). */
  properties: Record<string, unknown>;
  dependsOn: ReadonlySet<string>;
  deletionPolicy: string;
  updateReplacePolicy: string;
  metadata?: unknown;
}

/** A template with its parameters applied: the resources to exist, their dependency graph, conditions. */
export interface StackPlan {
  template: TemplateObject;
  parameters: ReadonlyMap<string, string | string[]>;
  conditions: ReadonlyMap<string, boolean>;
  resources: Map<string, PlannedResource>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function planStack(template: TemplateObject, parameters: ReadonlyMap<string, string | string[]>, identity: StackIdentity): StackPlan {
  const conditions = evaluateConditions(template, parameters, identity);
  const declared = isObject(template.Resources) ? template.Resources : {};
  const resources = new Map<string, PlannedResource>();
  const included = new Set<string>();
  for (const [id, r] of Object.entries(declared)) {
    const res = r as Record<string, unknown>;
    if (typeof res.Condition === 'string') {
      const c = conditions.get(res.Condition);
      if (c === undefined) throw cfnErrors.validation(`Template format error: Unresolved dependencies [${res.Condition}]. Cannot reference resources in the Conditions block of the template`);
      if (!c) continue;
    }
    included.add(id);
  }
  const allIds = new Set(Object.keys(declared));
  const paramIds = new Set(parameters.keys());
  const graph = new Map<string, Set<string>>();
  for (const id of included) {
    const res = declared[id] as Record<string, unknown>;
    // References to resources left out by their condition are checked like the others, then
    // dropped: they may only sit in an Fn::If branch that is not taken.
    const deps = new Set([...resourceDependencies(id, res, allIds, paramIds)].filter((d) => included.has(d)));
    graph.set(id, deps);
    resources.set(id, {
      logicalId: id,
      type: String(res.Type),
      properties: isObject(res.Properties) ? res.Properties : {},
      dependsOn: deps,
      deletionPolicy: typeof res.DeletionPolicy === 'string' ? res.DeletionPolicy : 'Delete',
      updateReplacePolicy: typeof res.UpdateReplacePolicy === 'string' ? res.UpdateReplacePolicy : 'Delete',
      metadata: res.Metadata,
    });
  }
  checkAcyclic(graph);
  for (const [id, output] of Object.entries(isObject(template.Outputs) ? template.Outputs : {})) {
    for (const name of referencedOutputNames(output)) {
      if (!allIds.has(name) && !paramIds.has(name) && !name.startsWith('AWS::')) {
        throw cfnErrors.validation(`Template format error: Unresolved resource dependencies [${name}] in the Outputs block of the template`);
      }
    }
    void id;
  }
  return { template, parameters, conditions, resources };
}

function referencedOutputNames(output: unknown): string[] {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObject(v)) return;
    for (const [k, a] of Object.entries(v)) {
      if (k === 'Ref' && typeof a === 'string') names.push(a);
      else if (k === 'Fn::GetAtt') names.push(typeof a === 'string' ? a.split('.')[0]! : String((a as unknown[])[0]));
      else walk(a);
    }
  };
  walk(output);
  return names;
}

/** Every condition of the template, in terms of the parameters (conditions may name other conditions). */
function evaluateConditions(template: TemplateObject, parameters: ReadonlyMap<string, string | string[]>, identity: StackIdentity): Map<string, boolean> {
  const declared = isObject(template.Conditions) ? template.Conditions : {};
  const done = new Map<string, boolean>();
  const visiting = new Set<string>();
  const lazy = new Proxy(done, {
    get(target, prop) {
      if (prop === 'get') return (name: string) => evaluate(name);
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const scope: ResolveScope = {
    identity,
    parameters,
    mappings: isObject(template.Mappings) ? (template.Mappings as TemplateObject) : {},
    conditions: lazy,
    resource: () => undefined,
    importValue: () => undefined,
  };
  function evaluate(name: string): boolean | undefined {
    if (done.has(name)) return done.get(name);
    if (!(name in declared)) return undefined;
    if (visiting.has(name)) throw cfnErrors.validation(`Template format error: Circular dependency between conditions: [${[...visiting].join(', ')}]`);
    visiting.add(name);
    let value: unknown;
    try {
      value = resolveValue(declared[name], scope);
    } catch (err) {
      if (err instanceof ResolveError) throw cfnErrors.validation(err.message);
      throw err;
    }
    visiting.delete(name);
    const b = value === true || value === 'true';
    done.set(name, b);
    return b;
  }
  for (const name of Object.keys(declared)) evaluate(name);
  return done;
}
