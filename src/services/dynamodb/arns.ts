/** DynamoDB's ARNs: tables, their indexes and their streams (labelled by creation time). */

export function tableArn(table: { region: string; accountId: string; name: string }): string {
  return `arn:aws:dynamodb:${table.region}:${table.accountId}:table/${table.name}`;
}

export function indexArn(table: { region: string; accountId: string; name: string }, index: string): string {
  return `${tableArn(table)}/index/${index}`;
}

/** The stream label is the ISO time the stream was enabled, without the zone (`2024-01-31T12:00:00.123`). */
export function streamLabelOf(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '');
}

export function streamArn(table: { region: string; accountId: string; name: string }, label: string): string {
  return `${tableArn(table)}/stream/${label}`;
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>` (an index or stream suffix is not a table). */
export function parseTableArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}
