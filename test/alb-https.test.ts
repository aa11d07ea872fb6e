import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeListenersCommand, ElasticLoadBalancingV2Client,
  ModifyListenerCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { generate } from 'selfsigned';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { awsCli, DOOR_HANDLER_ZIP, doorRequest, freePort } from './support/http-doors.js';
import { awsCliSkip } from './support/cli.js';

const CERT_ARN = 'arn:aws:acm:us-east-1:000000000000:certificate/12345678-1234-1234-1234-123456789012';

interface HttpsAnswer {
  status: number;
  body: string;
  peer: PeerCertificate;
}

/** A real HTTPS request to 127.0.0.1 verified against `ca` for the name `servername` (no `ca`: not verified). */
function httpsGet(port: number, pathname: string, options: { ca?: string; servername?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: pathname, servername: options.servername ?? 'localhost', ca: options.ca, rejectUnauthorized: options.ca !== undefined, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), peer }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const elbClient = (server: TestServer) =>
  new ElasticLoadBalancingV2Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

describe('Application Load Balancer HTTPS listeners', () => {
  let server: TestServer;
  let elb: ElasticLoadBalancingV2Client;
  let lbArn: string;
  let tgArn: string;
  let port: number;
  let listenerArn: string;

  before(async () => {
    server = await startTestServer();
    elb = elbClient(server);
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'tls-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: DOOR_HANDLER_ZIP }, Timeout: 10 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'tls-fn' });
    await lambda.send(new AddPermissionCommand({ FunctionName: 'tls-fn', StatementId: 'elb', Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com' }));
    lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'tls', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers![0]!.LoadBalancerArn!;
    tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: 'tls-tg', TargetType: 'lambda' }))).TargetGroups![0]!.TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'arn:aws:lambda:us-east-1:000000000000:function:tls-fn' }] }));
    port = await freePort();
  });
  after(() => server.stop());

  test('CreateListener HTTPS: a certificate is required and must be an ACM or IAM ARN', async () => {
    const create = (extra: object) => elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTPS', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }], ...extra }));
    const none = (await create({}).catch((e: Error) => e)) as Error;
    assert.equal(none.name, 'ValidationError');
    assert.equal(none.message, 'A certificate must be specified for HTTPS listeners');
    const bad = (await create({ Certificates: [{ CertificateArn: 'not-an-arn' }] }).catch((e: Error) => e)) as Error;
    assert.equal(bad.name, 'CertificateNotFoundException');
    assert.equal(bad.message, "Certificate 'not-an-arn' not found");
    const listener = (await create({ Certificates: [{ CertificateArn: CERT_ARN }] })).Listeners![0]!;
    listenerArn = listener.ListenerArn!;
    assert.equal(listener.Protocol, 'HTTPS');
    assert.deepEqual(listener.Certificates, [{ CertificateArn: CERT_ARN }]);
    assert.equal(listener.SslPolicy, 'ELBSecurityPolicy-2016-08');
    const described = (await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners![0]!;
    assert.deepEqual(described.Certificates, [{ CertificateArn: CERT_ARN }]);
  });

  test('a real HTTPS request, verified against the generated certificate, reaches the function with X-Forwarded-Proto https', async () => {
    const ca = readFileSync(path.join(server.dataDir, 'alb-tls', 'cert.pem'), 'utf8');
    const cert = new X509Certificate(ca);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    const res = await httpsGet(port, '/secure?x=1', { ca });
    assert.equal(res.status, 200, res.body);
    const event = JSON.parse(res.body) as { headers: Record<string, string>; path: string };
    assert.equal(event.path, '/secure');
    assert.equal(event.headers['x-forwarded-proto'], 'https');
    assert.equal(event.headers['x-forwarded-port'], String(port));
    // Verified by IP address too, and refused by a client that does not trust it.
    assert.equal((await httpsGet(port, '/', { ca, servername: '' })).status, 200);
    await assert.rejects(httpsGet(port, '/', { ca, servername: 'example.com' }), /altnames|Hostname/);
    // Plain HTTP to the TLS port gets no page.
    await assert.rejects(doorRequest(port, { path: '/' }));
  });

  test('ModifyListener replaces the certificate ARN; after a restart the listener serves HTTPS with the same certificate', async () => {
    const other = CERT_ARN.replace(/12$/, '99');
    const modified = (await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, Certificates: [{ CertificateArn: other }] }))).Listeners![0]!;
    assert.deepEqual(modified.Certificates, [{ CertificateArn: other }]);
    const before = (await httpsGet(port, '/')).peer.fingerprint256;
    await server.restart();
    const after = await httpsGet(port, '/r', { ca: readFileSync(path.join(server.dataDir, 'alb-tls', 'cert.pem'), 'utf8') });
    assert.equal(after.status, 200);
    assert.equal(after.peer.fingerprint256, before);
  });

  test('AWS CLI: create-listener --protocol HTTPS --certificates', { skip: awsCliSkip }, async () => {
    const cliPort = await freePort();
    const out = await awsCli(server.url, ['elbv2', 'create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTPS', '--port', String(cliPort),
      '--certificates', `CertificateArn=${CERT_ARN}`, '--ssl-policy', 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      '--default-actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=cli-ok}']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.json().Listeners[0].SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    const res = await httpsGet(cliPort, '/');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'cli-ok');
  });
});

describe('Application Load Balancer HTTPS listeners with a user-provided certificate', () => {
  test('LAMBKIN_ALB_TLS_CERT and LAMBKIN_ALB_TLS_KEY: the listener serves that certificate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-tls-'));
    const made = await generate([{ name: 'commonName', value: 'alb.example.test' }], {
      keyType: 'ec', curve: 'P-256', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'alb.example.test' }] }],
    });
    writeFileSync(path.join(dir, 'cert.pem'), made.cert);
    writeFileSync(path.join(dir, 'key.pem'), made.private);
    const server = await startTestServer({ LAMBKIN_ALB_TLS_CERT: path.join(dir, 'cert.pem'), LAMBKIN_ALB_TLS_KEY: path.join(dir, 'key.pem') });
    try {
      const elb = elbClient(server);
      const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'own', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers![0]!.LoadBalancerArn!;
      const port = await freePort();
      await elb.send(new CreateListenerCommand({
        LoadBalancerArn: lb, Protocol: 'HTTPS', Port: port, Certificates: [{ CertificateArn: CERT_ARN }],
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'own' } }],
      }));
      const res = await httpsGet(port, '/', { ca: made.cert, servername: 'alb.example.test' });
      assert.equal(res.status, 200);
      assert.equal(res.body, 'own');
      assert.equal(res.peer.subject.CN, 'alb.example.test');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
