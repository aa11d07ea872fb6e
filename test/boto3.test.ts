import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from './support/server.js';
import { boto3Skip } from './support/cli.js';

// The script lives with the sources (it is not compiled), two levels up from dist/test.
const SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_lifecycle.py', import.meta.url));

describe('boto3 drives the function lifecycle', { skip: boto3Skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('create, waiters, paginate, update, publish, alias, permissions, delete', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'python3',
        [SCRIPT, server.url],
        { env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' } },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'OK');
  });
});
