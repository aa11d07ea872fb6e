export interface Scope {
  accountId: string;
  region: string;
}

export const DEFAULT_BUS = 'default';

export function busArn(scope: Scope, name: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}`;
}

/** Rules on the default bus have `rule/<name>`; on custom buses `rule/<bus>/<name>`. */
export function ruleArn(scope: Scope, busName: string, name: string): string {
  return busName === DEFAULT_BUS
    ? `arn:aws:events:${scope.region}:${scope.accountId}:rule/${name}`
    : `arn:aws:events:${scope.region}:${scope.accountId}:rule/${busName}/${name}`;
}

/** `EventBusName` may be a name or a bus ARN; absent means the default bus. */
export function busNameOf(nameOrArn: unknown): string {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') return DEFAULT_BUS;
  const m = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}

/** Account, region and bus name of a bus ARN, or null. */
export function parseBusArn(arn: string): (Scope & { busName: string }) | null {
  const m = /^arn:[^:]+:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, busName: m[3]! } : null;
}

/** A rule or bus ARN, for the tagging operations. */
export function parseResourceArn(arn: string): (Scope & { kind: 'bus'; busName: string }) | (Scope & { kind: 'rule'; busName: string; ruleName: string }) | null {
  const m = /^arn:[^:]+:events:([^:]+):(\d{12}):(event-bus|rule)\/(.+)$/.exec(arn);
  if (!m) return null;
  const scope = { region: m[1]!, accountId: m[2]! };
  if (m[3] === 'event-bus') return { ...scope, kind: 'bus', busName: m[4]! };
  const parts = m[4]!.split('/');
  return parts.length === 1 ? { ...scope, kind: 'rule', busName: DEFAULT_BUS, ruleName: parts[0]! } : { ...scope, kind: 'rule', busName: parts.slice(0, -1).join('/'), ruleName: parts[parts.length - 1]! };
}

/** `connection/<name>/<uuid>`: AWS adds a random suffix, so an ARN names one incarnation of the connection. */
export function connectionArn(scope: Scope, name: string, suffix: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:connection/${name}/${suffix}`;
}

export function apiDestinationArn(scope: Scope, name: string, suffix: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:api-destination/${name}/${suffix}`;
}

/** Scope, name and suffix of a connection or API destination ARN, or null. */
export function parseSuffixedArn(arn: string, kind: 'connection' | 'api-destination'): (Scope & { name: string; suffix: string }) | null {
  const m = new RegExp(`^arn:aws[a-z-]*:events:([a-z0-9-]+):(\\d{12}):${kind}/([.\\-_A-Za-z0-9]+)/([-A-Za-z0-9]+)$`).exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]!, suffix: m[4]! } : null;
}
