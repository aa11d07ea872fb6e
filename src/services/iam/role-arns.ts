/** `arn:aws:iam::<account>:role/<path/><name>` broken into its account and name; null for anything else. */
export function parseRoleArn(arn: string): { accountId: string; name: string } | null {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7E]*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
  return m ? { accountId: m[1]!, name: m[2]! } : null;
}
