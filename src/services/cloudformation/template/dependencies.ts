import { cfnErrors } from '../errors.js';
import { SUB_VARIABLE } from './intrinsics.js';
import { PSEUDO_PARAMETERS } from './pseudo.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every name a value refers to through Ref, Fn::GetAtt and Fn::Sub (resources, parameters or pseudo parameters). */
export function referencedNames(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedNames(v, out);
    return out;
  }
  if (!isObject(value)) return out;
  for (const [key, arg] of Object.entries(value)) {
    if (key === 'Ref' && typeof arg === 'string') out.add(arg);
    else if (key === 'Fn::GetAtt') {
      if (typeof arg === 'string') out.add(arg.split('.')[0]!);
      else if (Array.isArray(arg) && typeof arg[0] === 'string') out.add(arg[0]);
      referencedNames(Array.isArray(arg) ? arg.slice(1) : [], out);
    } else if (key === 'Fn::Sub') {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1]] : ['', {}];
      const own = isObject(vars) ? new Set(Object.keys(vars)) : new Set<string>();
      if (typeof text === 'string') {
        for (const m of text.matchAll(SUB_VARIABLE)) {
          const inner = m[1]!.trim();
          if (inner.startsWith('!') || own.has(inner)) continue;
          out.add(inner.startsWith('AWS::') ? inner : inner.split('.')[0]!);
        }
      }
      referencedNames(vars, out);
    } else referencedNames(arg, out);
  }
  return out;
}

/** A resource's dependencies on other resources: its references and its DependsOn. */
export function resourceDependencies(
  logicalId: string,
  resource: Record<string, unknown>,
  resourceIds: ReadonlySet<string>,
  parameterIds: ReadonlySet<string>,
): Set<string> {
  const deps = new Set<string>();
  const unresolved: string[] = [];
  for (const name of referencedNames([resource.Properties, resource.Metadata])) {
    if (resourceIds.has(name)) deps.add(name);
    else if (!parameterIds.has(name) && !PSEUDO_PARAMETERS.includes(name)) unresolved.push(name);
  }
  const dependsOn = resource.DependsOn === undefined ? [] : Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
  for (const d of dependsOn) {
    if (typeof d !== 'string' || !resourceIds.has(d)) {
      throw cfnErrors.validation(`Template format error: Unresolved resource dependencies [${String(d)}] in the Resources block of the template`);
    }
    deps.add(d);
  }
  if (unresolved.length > 0) throw cfnErrors.validation(`Template format error: Unresolved resource dependencies [${unresolved.join(', ')}] in the Resources block of the template`);
  deps.delete(logicalId);
  return deps;
}

/** Throws CloudFormation's circular-dependency error when the graph has a cycle. */
export function checkAcyclic(graph: ReadonlyMap<string, ReadonlySet<string>>): void {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 1);
    stack.push(id);
    for (const d of graph.get(id) ?? []) {
      const s = state.get(d);
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(d));
        throw cfnErrors.validation(`Circular dependency between resources: [${[...cycle].sort().join(', ')}]`);
      }
      if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(id, 2);
  };
  for (const id of graph.keys()) if (!state.has(id)) visit(id);
}
