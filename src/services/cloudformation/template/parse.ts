import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { cfnErrors } from '../errors.js';

export type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };
export type TemplateObject = { [key: string]: TemplateValue };

/** Short-form tags and the long form each stands for (`!GetAtt A.B` is special: a dotted scalar). */
const SHORT_FORMS: Record<string, string> = {
  '!Ref': 'Ref', '!Condition': 'Condition',
  '!Sub': 'Fn::Sub', '!GetAtt': 'Fn::GetAtt', '!Join': 'Fn::Join', '!Split': 'Fn::Split', '!Select': 'Fn::Select',
  '!If': 'Fn::If', '!Equals': 'Fn::Equals', '!And': 'Fn::And', '!Or': 'Fn::Or', '!Not': 'Fn::Not',
  '!FindInMap': 'Fn::FindInMap', '!ImportValue': 'Fn::ImportValue', '!GetAZs': 'Fn::GetAZs', '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr', '!Transform': 'Fn::Transform', '!Length': 'Fn::Length', '!ToJsonString': 'Fn::ToJsonString',
};

/**
 * A template body, JSON or YAML (with CloudFormation's short-form tags turned into their long
 * form). Anything else is CloudFormation's `Template format error`.
 */
export function parseTemplate(body: string): TemplateObject {
  const trimmed = body.trimStart();
  let parsed: unknown;
  if (trimmed.startsWith('{')) {
    try {
      parsed = JSON.parse(body);
    } catch {
      throw cfnErrors.validation('Template format error: JSON not well-formed.');
    }
  } else {
    const doc = parseDocument(body, { uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
      throw cfnErrors.validation(`Template format error: YAML not well-formed. (line ${line}, column ${col})`);
    }
    const unknown = doc.warnings.find((w) => /Unresolved tag: (!\S+)/.test(w.message) && !(w.message.match(/Unresolved tag: (!\S+)/)![1]! in SHORT_FORMS));
    if (unknown) throw cfnErrors.validation(`Template format error: YAML not well-formed. ${unknown.message.split('\n')[0]}`);
    parsed = toValue(doc.contents as YamlNode | null);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw cfnErrors.validation('Template format error: not a JSON or YAML object');
  return parsed as TemplateObject;
}

function toValue(node: YamlNode | null | undefined): TemplateValue {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) throw cfnErrors.validation('Template format error: YAML aliases are not allowed in CloudFormation templates');
  let value: TemplateValue;
  if (isMap(node)) {
    const out: TemplateObject = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toValue(pair.value as YamlNode | null);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item) => toValue(item as YamlNode | null));
  } else if (isScalar(node)) {
    const v = node.value;
    value = v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : String(v);
  } else {
    value = null;
  }
  const tag = node.tag;
  if (tag && tag in SHORT_FORMS) {
    const long = SHORT_FORMS[tag]!;
    if (tag === '!GetAtt' && typeof value === 'string') {
      const dot = value.indexOf('.');
      value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
    }
    // A scalar short form with no value (`!GetAZs ''` written as `!GetAZs`) is the empty string.
    return { [long]: value === null ? '' : value };
  }
  return value;
}
