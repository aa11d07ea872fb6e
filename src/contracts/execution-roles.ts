/**
 * Lambda's view of IAM: whether it may assume a function's execution role, and the temporary
 * credentials each execution environment gets for it. IAM offers both; server.ts hands them over.
 */
export type LambdaTrust = 'trusted' | 'untrusted' | 'unknown';

export interface ExecutionRoleCheck {
  /** `unknown` when Lambkin's IAM has no such role in that account (the function then keeps its account's access). */
  trustForLambda(accountId: string, roleArn: string): Promise<LambdaTrust>;
}

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  /** A line for the function's log, e.g. that its role is unknown and what that means. */
  warning?: string;
}

export interface FunctionIdentity {
  accountId: string;
  functionName: string;
  /** The function's `Role` ARN. */
  role: string;
}

export type FunctionCredentialIssuer = (fn: FunctionIdentity) => Promise<FunctionCredentials>;
