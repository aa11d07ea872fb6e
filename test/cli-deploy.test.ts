import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { packageArtifacts } from '../src/cli/deploy/package-artifacts.js';
import { readTemplate } from '../src/cli/deploy/template-file.js';
import { parseOverrides } from '../src/cli/deploy-command.js';
import { startTestServer, type TestServer } from './support/server.js';

const LAMBKIN_BIN = fileURLToPath(new URL('../../bin/lambkin.js', import.meta.url));

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Greeting:
    Type: String
    Default: hello
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 5
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      CodeUri: src/
      Environment:
        Variables:
          GREETING: !Ref Greeting
          BUCKET: !Sub "\${Uploads}-x"
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref Uploads
  Layer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer
Outputs:
  Arn:
    Value: !GetAtt Hello.Arn
`;

function makeApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-deploy-app-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'index.mjs'), 'export const handler = async () => ({ greeting: process.env.GREETING });\n');
  mkdirSync(path.join(dir, 'layer', 'bin'), { recursive: true });
  writeFileSync(path.join(dir, 'layer', 'bin', 'tool'), '#!/bin/sh\necho tool\n');
  chmodSync(path.join(dir, 'layer', 'bin', 'tool'), 0o755);
  writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
  return dir;
}

function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  return new Promise((resolve) => {
    execFile(process.execPath, [LAMBKIN_BIN, ...args], { cwd, env }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

describe('lambkin deploy: packaging', () => {
  let app: string;
  before(() => {
    app = makeApp();
  });
  after(() => rmSync(app, { recursive: true, force: true }));

  test('reads YAML with the short-form intrinsic tags', async () => {
    const template = await readTemplate(path.join(app, 'template.yaml'));
    const hello = (template.Resources as Record<string, { Properties: Record<string, unknown> }>).Hello!.Properties;
    assert.deepEqual((hello.Environment as { Variables: unknown }).Variables, { GREETING: { Ref: 'Greeting' }, BUCKET: { 'Fn::Sub': '${Uploads}-x' } });
    assert.deepEqual((template.Outputs as { Arn: { Value: unknown } }).Arn.Value, { 'Fn::GetAtt': ['Hello', 'Arn'] });
  });

  test('zips local CodeUri/ContentUri folders, uploads each once by content, and rewrites the template', async () => {
    const uploads: Array<{ key: string; bytes: Buffer }> = [];
    const template = await readTemplate(path.join(app, 'template.yaml'));
    const upload = async (key: string, bytes: Buffer) => {
      uploads.push({ key, bytes });
      return { bucket: 'artifacts', key };
    };
    const first = await packageArtifacts(template, app, upload);
    const resources = first.template.Resources as Record<string, { Properties: Record<string, unknown> }>;
    assert.match(String(resources.Hello!.Properties.CodeUri), /^s3:\/\/artifacts\/[0-9a-f]{64}\.zip$/);
    assert.match(String(resources.Layer!.Properties.ContentUri), /^s3:\/\/artifacts\/[0-9a-f]{64}\.zip$/);
    const code = new AdmZip(uploads[0]!.bytes);
    assert.deepEqual(code.getEntries().map((entry) => entry.entryName), ['index.mjs']);
    const layer = new AdmZip(uploads[1]!.bytes).getEntry('bin/tool')!;
    assert.equal((layer.attr >>> 16) & 0o777, 0o755);
    // Same content, same keys: an unchanged folder does not look like new code.
    const second = await packageArtifacts(template, app, upload);
    assert.deepEqual(second.template, first.template);
    assert.deepEqual(parseOverrides(['A=1', 'ParameterKey=B,ParameterValue=x=y']), { A: '1', B: 'x=y' });
  });
});

describe('lambkin deploy against a running Lambkin', () => {
  let server: TestServer;
  let app: string;
  before(async () => {
    server = await startTestServer();
    app = makeApp();
  });
  after(async () => {
    await server.stop();
    rmSync(app, { recursive: true, force: true });
  });

  test('uploads the code to the artifact bucket, then deploys the stack (or says CloudFormation is missing)', async () => {
    const result = await run(['deploy', 'template.yaml', '--stack-name', 'demo', '--endpoint-url', server.url, '--parameter-overrides', 'Greeting=hi'], app);
    assert.match(result.stdout, /Uploaded src \(Hello\.CodeUri\) to s3:\/\/lambkin-deploy-artifacts-us-east-1\/[0-9a-f]{64}\.zip/);
    const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'lambkin-deploy-artifacts-us-east-1' }));
    assert.equal(listed.Contents?.length, 2);
    const key = /s3:\/\/lambkin-deploy-artifacts-us-east-1\/([0-9a-f]{64}\.zip)/.exec(result.stdout)![1]!;
    const object = await s3.send(new GetObjectCommand({ Bucket: 'lambkin-deploy-artifacts-us-east-1', Key: key }));
    const zip = new AdmZip(Buffer.from(await object.Body!.transformToByteArray()));
    assert.match(zip.readAsText('index.mjs'), /GREETING/);
    s3.destroy();

    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { services: string[] };
    if (health.services.includes('cloudformation')) {
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /CREATE_COMPLETE\s+AWS::Lambda::Function\s+Hello/);
      assert.match(result.stdout, /Output Arn = arn:aws:lambda:us-east-1:\d{12}:function:/);
      assert.match(result.stdout, /Successfully deployed stack demo \(CREATE_COMPLETE\)/);
      // The parameter override reached the function; a second deploy of the same folder changes nothing.
      const arn = /Output Arn = (\S+)/.exec(result.stdout)![1]!;
      const fn = await server.lambda().send(new GetFunctionConfigurationCommand({ FunctionName: arn }));
      assert.equal(fn.Environment?.Variables?.GREETING, 'hi');
      const again = await run(['deploy', '--stack-name', 'demo', '--endpoint-url', server.url, '--parameter-overrides', 'Greeting=hi'], app);
      assert.equal(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, /No changes to deploy|UPDATE_COMPLETE/);
    } else {
      assert.equal(result.code, 1);
      assert.match(result.stderr, /has no CloudFormation API .*the packaged template is \S+lambkin-deploy-demo\.json/);
    }
  });
});
