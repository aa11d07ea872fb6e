import type { ServiceResponse } from './request-context.js';

/** A request to one of this server's services, made in-process on an account's behalf. */
export interface InProcessCall {
  /** The service's name (`sqs`, `sns`, `lambda`, `dynamodb`, `events`, `kinesis` …). */
  service: string;
  accountId: string;
  region: string;
  method: string;
  rawPath: string;
  query?: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Calls a service as a request from the account would reach it, without a signature and without
 * IAM evaluation (the caller already decided the account may act, as a role it trusts would).
 * Resolves with the service's response; rejects with the AwsError the service threw.
 */
export type ServiceCaller = (call: InProcessCall) => Promise<ServiceResponse>;
