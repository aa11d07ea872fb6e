import assert from 'node:assert/strict';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { resolveConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLambkin, type RunningLambkin } from '../src/server.js';

const TOKEN = 'scrape-token-0123456789abcdef';
const OPERATOR = { accessKeyId: 'LKIAOPERATOR00000000', secretAccessKey: 'operator-secret', accountId: '000000000000' };
const OTHER = { accessKeyId: 'LKIAOTHERACCOUNT0000', secretAccessKey: 'other-secret', accountId: '111111111111' };

function hostNonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * `/metrics` and `/_lambkin/billing` answer loopback without credentials (a local Prometheus), and
 * from elsewhere only with the bearer token or a SigV4 signature by an account key.
 */
describe('operator endpoints: /metrics and /_lambkin/billing', () => {
  let dataDir: string;
  let lambkin: RunningLambkin;
  const address = hostNonLoopbackAddress();

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-operator-'));
    const config = resolveConfig({ host: '0.0.0.0', port: 0, dataDir }, { LAMBKIN_METRICS_TOKEN: TOKEN });
    lambkin = await startLambkin({ ...config, provisioningDelayMs: 20, credentials: [OPERATOR, OTHER] }, { logger: createLogger('silent') });
  });
  after(async () => {
    await lambkin?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (host: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`http://${host}:${lambkin.port}${pathAndQuery}`, { headers });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  const signedGet = async (host: string, pathAndQuery: string, key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<Answer> => {
    const url = new URL(`http://${host}:${lambkin.port}${pathAndQuery}`);
    const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: 'monitoring', sha256: Hash.bind(null, 'sha256') });
    const signed = await signer.sign(new HttpRequest({
      method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname,
      query: Object.fromEntries(url.searchParams), headers: { host: url.host },
    }));
    return get(host, pathAndQuery, signed.headers);
  };

  test('loopback without credentials reads both; a wrong bearer token is refused even there', async () => {
    const metrics = await get('127.0.0.1', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /^# HELP lambkin_/m);
    const bill = await get('127.0.0.1', '/_lambkin/billing?account=111111111111');
    assert.equal(bill.status, 200);
    assert.equal((JSON.parse(bill.body) as { month: string }).month.length, 7);
    const wrong = await get('127.0.0.1', '/metrics', { authorization: 'Bearer not-the-token' });
    assert.equal(wrong.status, 403);
    assert.deepEqual(JSON.parse(wrong.body), { message: 'The bearer token is not valid for this endpoint.' });
  });

  test('off loopback: no credentials → 401, the bearer token or an account key\'s signature → 200', async (t) => {
    if (!address) return t.skip('this host has no non-loopback IPv4 address to call from');
    for (const p of ['/metrics', '/_lambkin/billing']) {
      const bare = await get(address, p);
      assert.equal(bare.status, 401, p);
      assert.equal(bare.headers.get('www-authenticate'), 'Bearer realm="lambkin"');
      assert.match((JSON.parse(bare.body) as { message: string }).message, /need credentials: Authorization: Bearer <LAMBKIN_METRICS_TOKEN>, or a SigV4 signature/);
      assert.equal((await get(address, p, { authorization: `Bearer ${TOKEN}` })).status, 200, p);
      assert.equal((await get(address, p, { authorization: 'Bearer nope' })).status, 403, p);
      assert.equal((await signedGet(address, p, OPERATOR)).status, 200, p);
    }
    // A signature that does not verify is refused with the edge's words.
    const forged = await signedGet(address, '/metrics', { ...OPERATOR, secretAccessKey: 'wrong' });
    assert.equal(forged.status, 403);
    assert.match((JSON.parse(forged.body) as { message: string }).message, /signature we calculated does not match/);
  });

  test('a signed bill is the signer\'s account only; IAM users (and so functions\' role sessions) are refused', async (t) => {
    if (!address) return t.skip('this host has no non-loopback IPv4 address to call from');
    const own = await signedGet(address, '/_lambkin/billing', OTHER);
    assert.equal(own.status, 200);
    const asked = await signedGet(address, '/_lambkin/billing?account=111111111111', OTHER);
    assert.equal(asked.status, 200);
    const foreign = await signedGet(address, '/_lambkin/billing?account=000000000000', OTHER);
    assert.equal(foreign.status, 403);
    assert.deepEqual(JSON.parse(foreign.body), { message: 'Account 111111111111 may not read the bill of account 000000000000.' });

    const iam = new IAMClient({ endpoint: `http://127.0.0.1:${lambkin.port}`, region: 'us-east-1', credentials: OPERATOR, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'dashboard' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dashboard' }))).AccessKey!;
    const user = await signedGet(address, '/metrics', { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    assert.equal(user.status, 403);
    assert.match((JSON.parse(user.body) as { message: string }).message, /^arn:aws:iam::000000000000:user\/dashboard may not read platform metrics or bills/);
  });
});
