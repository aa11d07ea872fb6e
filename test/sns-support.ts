import { SNSClient } from '@aws-sdk/client-sns';
import type { TestServer } from './support/server.js';

/** An SNS client for the test server (`test`/`test` on loopback, no retries). */
export function snsClient(server: TestServer, region = 'us-east-1'): SNSClient {
  return new SNSClient({ endpoint: server.url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
