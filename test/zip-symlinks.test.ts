import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, type LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZipWithLinks, ROLE } from './support/zip.js';

const BAD_ZIP = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

describe('deployment packages with symbolic links', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  const create = (name: string, zip: Uint8Array) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip } }));

  test('a link inside the package stays a link, and the handler loads through it', async () => {
    const zip = makeZipWithLinks(
      {
        'real.js': `const fs = require('node:fs');
exports.handler = async () => ({ linked: fs.lstatSync(__dirname + '/index.js').isSymbolicLink(), target: fs.readlinkSync(__dirname + '/index.js'), libLink: fs.readlinkSync(__dirname + '/lib/current') });`,
        'lib/v1/data.txt': 'v1',
      },
      { 'index.js': 'real.js', 'lib/current': 'v1' },
    );
    await create('linked', zip);
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'linked' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'linked' }));
    const body = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, unknown>;
    assert.equal(out.FunctionError, undefined, JSON.stringify(body));
    assert.deepEqual(body, { linked: true, target: 'real.js', libLink: 'v1' });
  });

  test('a link out of the package is refused at CreateFunction', async () => {
    await rejectsWith(create('escapes', makeZipWithLinks({ 'index.js': 'exports.handler = async () => 1;' }, { secrets: '../../../../etc' })), 'InvalidParameterValueException', 400, BAD_ZIP);
    await rejectsWith(create('absolute', makeZipWithLinks({ 'index.js': 'exports.handler = async () => 1;' }, { shadow: '/etc/shadow' })), 'InvalidParameterValueException', 400, BAD_ZIP);
  });

  test('an entry beneath a link (which would be written through it) is refused at CreateFunction', async () => {
    const zip = makeZipWithLinks({ 'index.js': 'exports.handler = async () => 1;', 'link/x.js': 'overwrites whatever link points at' }, { link: 'lib' });
    await rejectsWith(create('shadowed', zip), 'InvalidParameterValueException', 400, BAD_ZIP);
  });
});
