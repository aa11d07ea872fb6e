import type { QueryParams } from '../../protocols/query.js';
import { errors } from './errors.js';
import type { ConditionDoc } from './model.js';

const FIELDS = ['path-pattern', 'host-header', 'http-header', 'http-request-method', 'query-string', 'source-ip'];

/** `Conditions.member.N`: the legacy `Values` form or the per-field `…Config`, as AWS accepts both. */
export function readConditions(params: QueryParams): ConditionDoc[] {
  const raw = params.structureList('Conditions');
  return raw.map((c) => {
    const field = c.get('Field');
    if (!field || !FIELDS.includes(field)) throw errors.validation(`Condition field '${field ?? ''}' must be one of '[${FIELDS.join(', ')}]'`);
    const values = c.scalarList('Values');
    const doc: ConditionDoc = { Field: field };
    switch (field) {
      case 'path-pattern': {
        const v = configValues(c, 'PathPatternConfig') ?? values;
        doc.Values = v;
        doc.PathPatternConfig = { Values: v };
        break;
      }
      case 'host-header': {
        const v = configValues(c, 'HostHeaderConfig') ?? values;
        doc.Values = v;
        doc.HostHeaderConfig = { Values: v };
        break;
      }
      case 'http-header': {
        const config = c.structure('HttpHeaderConfig');
        const name = config ? config.get('HttpHeaderName') : undefined;
        if (!config || !name) throw errors.validation("A 'HttpHeaderConfig' must be specified with an 'HttpHeaderName'");
        doc.HttpHeaderConfig = { HttpHeaderName: name, Values: config.scalarList('Values') };
        break;
      }
      case 'http-request-method': {
        const config = c.structure('HttpRequestMethodConfig');
        doc.HttpRequestMethodConfig = { Values: config ? config.scalarList('Values') : values };
        break;
      }
      case 'query-string': {
        const config = c.structure('QueryStringConfig');
        const pairs = config ? config.structureList('Values') : [];
        doc.QueryStringConfig = { Values: pairs.map((p) => ({ ...(p.get('Key') !== undefined ? { Key: p.get('Key') } : {}), Value: p.get('Value') ?? '' })) };
        break;
      }
      case 'source-ip': {
        const config = c.structure('SourceIpConfig');
        doc.SourceIpConfig = { Values: config ? config.scalarList('Values') : values };
        break;
      }
    }
    const count = conditionValueCount(doc);
    if (count === 0) throw errors.validation(`A condition value must be specified for field '${field}'`);
    return doc;
  });
}

function configValues(c: QueryParams, key: string): string[] | undefined {
  const config = c.structure(key);
  return config ? config.scalarList('Values') : undefined;
}

export function conditionValueCount(c: ConditionDoc): number {
  return (
    (c.PathPatternConfig?.Values.length ?? 0) +
    (c.HostHeaderConfig?.Values.length ?? 0) +
    (c.HttpHeaderConfig?.Values.length ?? 0) +
    (c.HttpRequestMethodConfig?.Values.length ?? 0) +
    (c.QueryStringConfig?.Values.length ?? 0) +
    (c.SourceIpConfig?.Values.length ?? 0)
  );
}
