import type { StackOutput } from '../stack-doc.js';
import { ResolveError, resolveValue, type ResolveScope } from '../template/intrinsics.js';
import type { TemplateObject } from '../template/parse.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The template's Outputs resolved against the stack's resources; an export another stack already
 * exports is refused with CloudFormation's words.
 */
export function resolveOutputs(
  template: TemplateObject,
  conditions: ReadonlyMap<string, boolean>,
  scope: ResolveScope,
  exportedByOthers: (name: string) => string | undefined,
): StackOutput[] {
  const out: StackOutput[] = [];
  for (const [key, o] of Object.entries(isObject(template.Outputs) ? template.Outputs : {})) {
    if (!isObject(o)) continue;
    if (typeof o.Condition === 'string' && !conditions.get(o.Condition)) continue;
    const value = resolveValue(o.Value, scope);
    const output: StackOutput = { key, value: Array.isArray(value) ? value.join(',') : String(value) };
    if (o.Description !== undefined) output.description = String(resolveValue(o.Description, scope));
    if (isObject(o.Export)) {
      const name = String(resolveValue(o.Export.Name, scope));
      const owner = exportedByOthers(name);
      if (owner !== undefined) throw new ResolveError(`Export with name ${name} is already exported by stack ${owner}`);
      output.exportName = name;
    }
    out.push(output);
  }
  return out;
}
