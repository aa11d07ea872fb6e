import { errors } from './errors.js';
import { parseJsonPath, valueAt } from './json-path.js';
import { MAX_INPUT_PATHS } from './limits.js';
import type { EventEnvelope, Target } from './model.js';

/** Placeholders EventBridge defines itself, usable without an InputPathsMap entry. */
const PREDEFINED = new Set(['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json']);
const PLACEHOLDER = /<([^<>\s"]+)>/g;

/** PutTargets-time checks of Input / InputPath / InputTransformer, with AWS's messages. */
export function validateTargetInput(target: Target): void {
  const kinds = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined && v !== null);
  if (kinds.length > 1) throw errors.oneInputKind(target.Id);
  if (typeof target.Input === 'string') {
    try {
      JSON.parse(target.Input);
    } catch {
      throw errors.invalidInput(target.Id);
    }
  }
  if (target.InputPath !== undefined && (typeof target.InputPath !== 'string' || !parseJsonPath(target.InputPath))) throw errors.invalidInputPath(target.Id);
  const transformer = target.InputTransformer;
  if (transformer) {
    const paths = transformer.InputPathsMap ?? {};
    if (Object.keys(paths).length > MAX_INPUT_PATHS) throw errors.constraint([`Value at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_PATHS}`]);
    for (const [name, path] of Object.entries(paths)) {
      if (typeof path !== 'string' || !parseJsonPath(path) || PREDEFINED.has(name)) throw errors.invalidInputPath(target.Id);
    }
    for (const m of String(transformer.InputTemplate ?? '').matchAll(PLACEHOLDER)) {
      const name = m[1]!;
      if (!PREDEFINED.has(name) && !Object.prototype.hasOwnProperty.call(paths, name)) throw errors.invalidPlaceholder(target.Id, name);
    }
  }
}

/**
 * What the target receives for an event: the event, `Input`, the `InputPath` value, or the
 * transformed template; null when AWS would silently drop the event for this target (a JSON
 * template that puts an object or list inside a string).
 */
export function targetPayload(target: Target, event: EventEnvelope, rule: { arn: string; name: string }, ingestionMs: number): string | null {
  if (typeof target.Input === 'string') return target.Input;
  if (typeof target.InputPath === 'string') {
    const value = valueAt(event, parseJsonPath(target.InputPath) ?? []);
    return value === undefined ? '' : JSON.stringify(value);
  }
  if (target.InputTransformer) return transform(target.InputTransformer.InputTemplate, target.InputTransformer.InputPathsMap ?? {}, event, rule, ingestionMs);
  return JSON.stringify(event);
}

function transform(template: string, paths: Record<string, string>, event: EventEnvelope, rule: { arn: string; name: string }, ingestionMs: number): string | null {
  const jsonTemplate = /^\s*[{[]/.test(template);
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(paths)) values.set(name, valueAt(event, parseJsonPath(path) ?? []));
  const ingestion = new Date(ingestionMs).toISOString();
  values.set('aws.events.rule-arn', rule.arn);
  values.set('aws.events.rule-name', rule.name);
  values.set('aws.events.event.ingestion-time', ingestion);
  // AWS: `aws.events.event` is the envelope without `detail` (detail-type spelled detailType); `.json` the whole event.
  values.set('aws.events.event', { id: event.id, account: event.account, detailType: event['detail-type'], time: ingestion, source: event.source, region: event.region, resources: event.resources, version: event.version });
  values.set('aws.events.event.json', event);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const m = /^<([^<>\s"]+)>/.exec(template.slice(i));
      if (m && values.has(m[1]!)) {
        const value = values.get(m[1]!);
        if (jsonTemplate && inString && value !== null && typeof value === 'object') return null;
        out += render(value, inString);
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * How a value is written in place of its placeholder (recorded AWS behaviour): inside a JSON string
 * a string is its text, an object or array its JSON without quotes (`{a:b}`), a missing value
 * nothing; outside a string the value is JSON (strings quoted) and a missing value `""`.
 */
function render(value: unknown, inString: boolean): string {
  if (inString) {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
    if (typeof value === 'object') return JSON.stringify(value).replace(/"/g, '');
    return String(value);
  }
  if (value === undefined) return '""';
  return JSON.stringify(value);
}
