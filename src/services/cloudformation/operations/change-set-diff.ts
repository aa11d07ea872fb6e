import { providerFor } from '../providers/index.js';
import type { ResourceProvider } from '../providers/provider.js';
import type { ResourceChange } from '../tables/change-sets.js';
import type { StackResource } from '../tables/stack-resources.js';
import type { TemplateObject } from '../template/parse.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const resourcesOf = (t: TemplateObject | undefined): Record<string, Record<string, unknown>> => (isObject(t?.Resources) ? (t.Resources as Record<string, Record<string, unknown>>) : {});

/**
 * The resource changes a change set shows: what the new template adds, removes and modifies,
 * compared as written (a change in a referenced value shows as a Modify when the stack runs).
 */
export function diffTemplates(
  current: TemplateObject | undefined,
  next: TemplateObject,
  rows: StackResource[],
  providers: Record<string, ResourceProvider>,
): ResourceChange[] {
  const before = resourcesOf(current);
  const after = resourcesOf(next);
  const physical = new Map(rows.map((r) => [r.logical_id, r.physical_id ?? undefined]));
  const changes: ResourceChange[] = [];
  for (const [id, r] of Object.entries(after)) {
    const old = before[id];
    if (!old) {
      changes.push({ action: 'Add', logicalId: id, type: String(r.Type), scope: [], details: [] });
      continue;
    }
    const props = isObject(r.Properties) ? r.Properties : {};
    const oldProps = isObject(old.Properties) ? old.Properties : {};
    const names = [...new Set([...Object.keys(props), ...Object.keys(oldProps)])].filter((k) => JSON.stringify(props[k]) !== JSON.stringify(oldProps[k]));
    const otherChanged = ['Metadata', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition'].some((k) => JSON.stringify(r[k]) !== JSON.stringify(old[k]));
    if (names.length === 0 && !otherChanged) continue;
    const provider = providerFor(providers, String(r.Type));
    const recreates = (n: string) => !provider || !provider.update || provider.replaceOn.includes('*') || provider.replaceOn.includes(n);
    const details = names.map((n) => ({ name: n, requiresRecreation: recreates(n) ? 'Always' : 'Never' }));
    changes.push({
      action: 'Modify',
      logicalId: id,
      physicalId: physical.get(id),
      type: String(r.Type),
      replacement: details.some((d) => d.requiresRecreation === 'Always') ? 'True' : 'False',
      scope: names.length > 0 ? ['Properties'] : ['Metadata'],
      details,
    });
  }
  for (const [id, r] of Object.entries(before)) {
    if (!(id in after)) changes.push({ action: 'Remove', logicalId: id, physicalId: physical.get(id), type: String(r.Type), scope: [], details: [] });
  }
  return changes;
}
