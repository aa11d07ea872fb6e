import assert from 'node:assert/strict';

/** Asserts a promise rejects with the given AWS error name, HTTP status and (optionally) message. */
export async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name} but the call succeeded`);
}
