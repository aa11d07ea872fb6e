import { isIPv4 } from 'node:net';
import { wildcardMatch } from '../../auth/policy/wildcard.js';
import type { ActionDoc, ConditionDoc, RuleDoc } from '../../services/elbv2/model.js';
import { queryPairs, type IncomingHttpRequest } from './incoming.js';

/** The actions of the first rule, by ascending priority, whose conditions all hold; else the default. */
export function matchRule(rules: RuleDoc[], defaultActions: ActionDoc[], request: IncomingHttpRequest): ActionDoc[] {
  for (const rule of rules) if (rule.Conditions.every((c) => conditionHolds(c, request))) return rule.Actions;
  return defaultActions;
}

function conditionHolds(c: ConditionDoc, request: IncomingHttpRequest): boolean {
  switch (c.Field) {
    case 'path-pattern':
      // Path patterns are case-sensitive; the query string is not part of the path.
      return (c.PathPatternConfig?.Values ?? []).some((p) => wildcardMatch(p, request.rawPath));
    case 'host-header':
      return (c.HostHeaderConfig?.Values ?? []).some((p) => wildcardMatch(p.toLowerCase(), request.hostname));
    case 'http-header': {
      const config = c.HttpHeaderConfig!;
      const values = request.headers.get(config.HttpHeaderName.toLowerCase()) ?? [];
      return values.some((v) => config.Values.some((p) => wildcardMatch(p.toLowerCase(), v.toLowerCase())));
    }
    case 'http-request-method':
      return (c.HttpRequestMethodConfig?.Values ?? []).includes(request.method);
    case 'query-string': {
      const pairs = queryPairs(request.rawQuery, true);
      return (c.QueryStringConfig?.Values ?? []).some((want) =>
        pairs.some(([k, v]) => (want.Key === undefined || wildcardMatch(want.Key.toLowerCase(), k.toLowerCase())) && wildcardMatch(want.Value.toLowerCase(), v.toLowerCase())),
      );
    }
    case 'source-ip':
      return (c.SourceIpConfig?.Values ?? []).some((cidr) => inCidr(request.sourceIp, cidr));
    default:
      return false;
  }
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (!base || !isIPv4(base) || !isIPv4(ip)) return ip === base;
  const bits = Number(bitsText ?? 32);
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}
