import { isObject } from './template-model.js';

/**
 * Rewrites references to logical ids SAM renamed (Ref, Fn::GetAtt in both forms, and ${Id} /
 * ${Id.Attr} inside Fn::Sub strings), in place; returns the value for convenience.
 */
export function renameReferences<T>(value: T, renamed: ReadonlyMap<string, string>): T {
  if (renamed.size === 0) return value;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = walk(node[i]);
      return node;
    }
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof node.Ref === 'string' && renamed.has(node.Ref)) {
      return { Ref: renamed.get(node.Ref) };
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const target = node['Fn::GetAtt'];
      if (Array.isArray(target) && typeof target[0] === 'string' && renamed.has(target[0])) return { 'Fn::GetAtt': [renamed.get(target[0]), ...target.slice(1)] };
      if (typeof target === 'string') {
        const [id, ...rest] = target.split('.');
        if (renamed.has(id!)) return { 'Fn::GetAtt': [renamed.get(id!)!, rest.join('.')] };
      }
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const sub = node['Fn::Sub'];
      const rewrite = (text: string): string =>
        text.replace(/\$\{([A-Za-z0-9]+)((?:\.[^}]*)?)\}/g, (whole, id: string, attribute: string) => (renamed.has(id) ? `\${${renamed.get(id)}${attribute}}` : whole));
      if (typeof sub === 'string') return { 'Fn::Sub': rewrite(sub) };
      if (Array.isArray(sub) && typeof sub[0] === 'string') return { 'Fn::Sub': [rewrite(sub[0]), walk(sub[1])] };
    }
    for (const key of keys) node[key] = walk(node[key]);
    return node;
  };
  return walk(value) as T;
}
