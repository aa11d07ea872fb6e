import type { WebsiteRoutingRule } from './config.js';

/** The scheme and host a request came in on: a redirect that names neither keeps them. */
export interface RequestOrigin {
  protocol: string;
  host: string;
}

/**
 * The first rule that redirects a request before its object is looked up: one with no condition,
 * or only a key prefix the request's key starts with. The key is the path's (`docs/`, '' for the
 * root), before the index document is added.
 */
export function ruleBeforeLookup(rules: readonly WebsiteRoutingRule[], key: string): WebsiteRoutingRule | undefined {
  return rules.find((rule) => rule.condition === undefined || (rule.condition.httpErrorCodeReturnedEquals === undefined && key.startsWith(rule.condition.keyPrefixEquals ?? '')));
}

/** The first rule for an error the lookup ended in (its status, and its key prefix if it has one). */
export function ruleAfterError(rules: readonly WebsiteRoutingRule[], key: string, status: number): WebsiteRoutingRule | undefined {
  return rules.find((rule) => rule.condition?.httpErrorCodeReturnedEquals === String(status) && key.startsWith(rule.condition.keyPrefixEquals ?? ''));
}

/** Where a rule sends the request: its status (301 unless it names one) and absolute `Location`. */
export function ruleRedirect(rule: WebsiteRoutingRule, key: string, origin: RequestOrigin): { status: number; location: string } {
  const { redirect } = rule;
  let target = key;
  if (redirect.replaceKeyWith !== undefined) target = redirect.replaceKeyWith;
  else if (redirect.replaceKeyPrefixWith !== undefined) target = redirect.replaceKeyPrefixWith + key.slice((rule.condition?.keyPrefixEquals ?? '').length);
  return {
    status: redirect.httpRedirectCode !== undefined ? Number(redirect.httpRedirectCode) : 301,
    location: `${redirect.protocol ?? origin.protocol}://${redirect.hostName ?? origin.host}/${keyPath(target)}`,
  };
}

/** A key as a URL path (without the leading slash): each segment percent-encoded, slashes kept. */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
