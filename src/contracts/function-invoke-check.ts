/**
 * Lambda's in-process answers for services that name a function as a target and must check it
 * before they accept it. Lambda implements both; the services see only these.
 */

/** An AWS service acting as the caller, as a resource-based policy statement matches it. */
export interface ServiceCaller {
  /** e.g. `s3.amazonaws.com`. */
  principalService: string;
  sourceArn: string;
  sourceAccount: string;
}

/** S3 notifications: does the function (and qualifier) exist, and may this service invoke it? */
export interface FunctionInvokeCheck {
  check(functionArn: string, caller: ServiceCaller): Promise<'allowed' | 'denied' | 'missing'>;
}

/**
 * ELB target registration: does the resource-based policy of the function (or of the version or
 * alias named) let this service invoke it? False when there is no policy, so for a missing function too.
 */
export interface InvokePolicyCheck {
  allowsInvoke(target: { accountId: string; region: string; functionName: string; qualifier: string | null }, caller: ServiceCaller): Promise<boolean>;
}
