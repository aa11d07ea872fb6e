/** A log group as the API names it: the caller's account and region, and its name. */
export interface GroupKey {
  accountId: string;
  region: string;
  name: string;
}

/** `logGroupArn`: the group itself (tags, IAM resources, StartQuery identifiers). */
export function groupArn(g: GroupKey): string {
  return `arn:aws:logs:${g.region}:${g.accountId}:log-group:${g.name}`;
}

/** `arn` of DescribeLogGroups and the resource IAM and Lambda permissions name: the group and everything in it. */
export function groupArnWildcard(g: GroupKey): string {
  return `${groupArn(g)}:*`;
}

export function streamArn(g: GroupKey, stream: string): string {
  return `${groupArn(g)}:log-stream:${stream}`;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → its parts; null for anything else. */
export function parseGroupArn(arn: string): GroupKey | null {
  const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([.\-_/#A-Za-z0-9]+)(?::\*)?$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : null;
}

/** The principals CloudWatch Logs invokes Lambda as: the regional one AWS documents, and the global one. */
export function logsPrincipals(region: string): string[] {
  return [`logs.${region}.amazonaws.com`, 'logs.amazonaws.com'];
}
