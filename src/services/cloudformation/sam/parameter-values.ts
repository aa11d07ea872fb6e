import { isObject, type JsonObject } from './template-model.js';

/**
 * Template parameter values the transform may resolve: the values given, the parameters'
 * defaults, AWS::Region and AWS::Partition. samtranslator resolves only these (never resource
 * attributes), and only where a value must be known at transform time: alias names and the
 * code hash that names a function's auto-published version.
 */
export function parameterValues(template: JsonObject, given: Record<string, unknown> | undefined, region: string, partition: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (isObject(template.Parameters)) {
    for (const [name, definition] of Object.entries(template.Parameters)) {
      if (isObject(definition) && definition.Default !== undefined) values[name] = definition.Default;
    }
  }
  Object.assign(values, given ?? {});
  values['AWS::Region'] ??= region;
  values['AWS::Partition'] ??= partition;
  return values;
}

/** `value` with each Ref to a known parameter, and each `${Param}` inside an Fn::Sub string, replaced. */
export function resolveParameterRefs(value: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveParameterRefs(item, parameters));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string' && Object.hasOwn(parameters, value.Ref)) {
    return parameters[value.Ref];
  }
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const sub = value['Fn::Sub'];
    const replace = (text: string): string =>
      text.replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => {
        const found = parameters[name.trim()];
        return typeof found === 'string' || typeof found === 'number' ? String(found) : whole;
      });
    if (typeof sub === 'string') return { 'Fn::Sub': replace(sub) };
    if (Array.isArray(sub) && typeof sub[0] === 'string') {
      return { 'Fn::Sub': [replace(sub[0]), resolveParameterRefs(sub[1], parameters)] };
    }
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = resolveParameterRefs(item, parameters);
  return out;
}
