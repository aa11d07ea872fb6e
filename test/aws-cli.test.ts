import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { awsCliSkip } from './support/cli.js';

// The AWS CLI is an independent client (botocore's serializers, signer and waiters), so it is only
// worth running where it is installed.

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('AWS CLI drives the function lifecycle', { skip: awsCliSkip }, () => {
  let server: TestServer;
  let workDir: string;
  let zipPath: string;
  let zip2Path: string;
  const fn = 'cli-fn';

  function cli(args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        'aws',
        ['--endpoint-url', server.url, '--output', 'json', 'lambda', ...args],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: path.join(workDir, 'no-config'),
            AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
            AWS_PAGER: '',
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_MAX_ATTEMPTS: '1',
          },
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  async function aws(...args: string[]): Promise<Record<string, any>> {
    const r = await cli(args);
    assert.equal(r.code, 0, `aws lambda ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, any>);
  }

  before(async () => {
    server = await startTestServer();
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-cli-'));
    zipPath = path.join(workDir, 'code.zip');
    zip2Path = path.join(workDir, 'code2.zip');
    writeFileSync(zipPath, NODE_HANDLER_ZIP);
    writeFileSync(zip2Path, makeZip({ 'index.js': 'exports.handler = async () => ({ ok: 2 });\n' }));
  });
  after(async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('create-function, wait function-active-v2, get-function, list-functions', async () => {
    const created = await aws(
      'create-function', '--function-name', fn, '--runtime', 'nodejs22.x', '--handler', 'index.handler',
      '--role', ROLE, '--zip-file', `fileb://${zipPath}`,
    );
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn}`);
    assert.equal(created.State, 'Pending');

    await aws('wait', 'function-active-v2', '--function-name', fn);
    const got = await aws('get-function', '--function-name', fn);
    assert.equal(got.Configuration.State, 'Active');
    assert.equal(got.Configuration.Runtime, 'nodejs22.x');
    assert.equal(got.Code.RepositoryType, 'S3');

    const listed = await aws('list-functions');
    assert.ok(listed.Functions.some((f: { FunctionName: string }) => f.FunctionName === fn));
  });

  test('update-function-configuration, wait function-updated-v2, update-function-code', async () => {
    const updated = await aws('update-function-configuration', '--function-name', fn, '--timeout', '10', '--description', 'from the cli');
    assert.equal(updated.Timeout, 10);
    assert.equal(updated.Description, 'from the cli');
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    await aws('wait', 'function-updated-v2', '--function-name', fn);

    const before = await aws('get-function-configuration', '--function-name', fn);
    const code = await aws('update-function-code', '--function-name', fn, '--zip-file', `fileb://${zip2Path}`);
    assert.notEqual(code.CodeSha256, before.CodeSha256);
    await aws('wait', 'function-updated-v2', '--function-name', fn);
    const after = await aws('get-function-configuration', '--function-name', fn);
    assert.equal(after.LastUpdateStatus, 'Successful');
    assert.equal(after.CodeSha256, code.CodeSha256);
  });

  test('publish-version and aliases', async () => {
    const published = await aws('publish-version', '--function-name', fn, '--description', 'first');
    assert.equal(published.Version, '1');
    assert.equal(published.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn}:1`);

    const alias = await aws('create-alias', '--function-name', fn, '--name', 'live', '--function-version', '1');
    assert.equal(alias.AliasArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn}:live`);
    assert.equal(alias.FunctionVersion, '1');
    assert.equal(alias.Name, 'live');

    const got = await aws('get-alias', '--function-name', fn, '--name', 'live');
    assert.equal(got.FunctionVersion, '1');
    assert.equal(got.RevisionId, alias.RevisionId);

    const listed = await aws('list-aliases', '--function-name', fn);
    assert.deepEqual(listed.Aliases.map((a: { Name: string }) => a.Name), ['live']);
  });

  test('add-permission, get-policy, remove-permission', async () => {
    const added = await aws(
      'add-permission', '--function-name', fn, '--statement-id', 'cli-s3', '--action', 'lambda:InvokeFunction',
      '--principal', 's3.amazonaws.com',
    );
    const statement = JSON.parse(added.Statement as string) as Record<string, any>;
    assert.equal(statement.Sid, 'cli-s3');
    assert.equal(statement.Action, 'lambda:InvokeFunction');
    assert.deepEqual(statement.Principal, { Service: 's3.amazonaws.com' });

    const policy = await aws('get-policy', '--function-name', fn);
    const doc = JSON.parse(policy.Policy as string) as { Statement: { Sid: string }[] };
    assert.deepEqual(doc.Statement.map((s) => s.Sid), ['cli-s3']);
    assert.ok(policy.RevisionId);

    assert.deepEqual(await aws('remove-permission', '--function-name', fn, '--statement-id', 'cli-s3'), {});
    const gone = await cli(['get-policy', '--function-name', fn]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /ResourceNotFoundException/);
  });

  test('delete-alias and delete-function', async () => {
    assert.deepEqual(await aws('delete-alias', '--function-name', fn, '--name', 'live'), {});
    const aliases = await aws('list-aliases', '--function-name', fn);
    assert.deepEqual(aliases.Aliases, []);

    // Newer botocore models bind DeleteFunction's StatusCode output member to the HTTP status.
    const deleted = await aws('delete-function', '--function-name', fn);
    assert.ok(deleted.StatusCode === undefined || deleted.StatusCode === 204, JSON.stringify(deleted));
    const gone = await cli(['get-function', '--function-name', fn]);
    assert.notEqual(gone.code, 0);
  });

  test('a missing function is ResourceNotFoundException', async () => {
    const r = await cli(['get-function', '--function-name', 'cli-missing']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /ResourceNotFoundException/);
    assert.match(r.stderr, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:cli-missing/);
  });
});
