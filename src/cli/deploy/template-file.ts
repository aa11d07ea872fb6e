import { readFile } from 'node:fs/promises';
import { parse, type Tags } from 'yaml';

/** CloudFormation's short-form tags; `!GetAtt A.B` is the one whose scalar form splits. */
const INTRINSICS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Transform', 'Length', 'ToJsonString'];

const longName = (tag: string): string => (tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`);

const SHORT_FORM_TAGS: Tags = INTRINSICS.flatMap((name) => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({ [longName(name)]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => ({ [longName(name)]: value.toJSON() }) },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: { toJSON(): unknown }) => ({ [longName(name)]: value.toJSON() }) },
]) as Tags;

/** `A.B.C` → [`A`, `B.C`]: the logical id, then the attribute (which may itself contain dots). */
function splitGetAtt(value: string): [string, string] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value, ''] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** A template file (JSON, or YAML with the short-form intrinsic tags) as plain JSON data. */
export async function readTemplate(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8');
  const trimmed = text.trimStart();
  const template = trimmed.startsWith('{') ? (JSON.parse(text) as unknown) : parse(text, { customTags: SHORT_FORM_TAGS, uniqueKeys: true });
  if (!template || typeof template !== 'object' || Array.isArray(template)) throw new Error(`${file} is not a CloudFormation template (it is not a map)`);
  return template as Record<string, unknown>;
}
