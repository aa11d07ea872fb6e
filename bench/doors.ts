import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { runJsonChild } from './child.js';
import type { DoorLoadResult, DoorPlan, DoorTarget } from './door-loadgen.js';
import type { BenchServer } from './lambkin.js';
import { percentile, round3 } from './stats.js';
import { WARM_MEMORY_MB } from './warm.js';

/** Answers every door with a valid, empty HTTP response: ALB needs a status code. */
const HTTP_NO_OP = "exports.handler = async () => ({ statusCode: 200, body: '' });\n";
const FN = 'bench-doors';
const FN_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${FN}`;

export interface DoorFigures {
  door: string;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  failed: number;
  /** This door's p50 minus the direct Invoke's p50 in the same run. */
  addedP50Ms: number;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Requests/s and p50 through each front door to one warm no-op function, beside a direct Invoke of
 * the same function by the same plain HTTP client (signed once: the server still verifies every
 * request, the client spends nothing on signing).
 */
export async function measureDoors(server: BenchServer, options: { sequential: number; concurrency: number; durationMs: number }): Promise<DoorFigures[]> {
  await server.deploy(FN, HTTP_NO_OP, { memoryMb: WARM_MEMORY_MB });
  const lambda = server.client();
  const mainPort = server.lambkin.port;
  const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: FN, AuthType: 'NONE' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: FN, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: FN, StatementId: 'elb', Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com' }));
  await lambda.send(new AddPermissionCommand({ FunctionName: FN, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));

  const elb = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'bench-lb', Subnets: ['subnet-1'] }));
  const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'bench-tg', TargetType: 'lambda' }));
  const tgArn = tg.TargetGroups![0]!.TargetGroupArn!;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: FN_ARN }] }));
  const albPort = await freePort();
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn, Protocol: 'HTTP', Port: albPort, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  elb.destroy();

  const apigw = new ApiGatewayV2Client({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const api = await apigw.send(new CreateApiCommand({ Name: 'bench-api', ProtocolType: 'HTTP', Target: FN_ARN }));
  apigw.destroy();
  lambda.destroy();

  const invokePath = `/2015-03-31/functions/${FN}/invocations`;
  const targets: DoorTarget[] = [
    { name: 'Invoke (direct)', port: mainPort, method: 'POST', path: invokePath, headers: await signedInvokeHeaders(mainPort, invokePath), body: '{}' },
    { name: 'Function URL', port: mainPort, method: 'GET', path: '/', headers: { host: new URL(url.FunctionUrl!).host } },
    { name: 'ALB listener', port: albPort, method: 'GET', path: '/', headers: {} },
    { name: 'HTTP API', port: mainPort, method: 'GET', path: '/', headers: { host: `${api.ApiId}.execute-api.localhost:${mainPort}` } },
  ];
  const plan: DoorPlan = { targets, warmup: 200, ...options };
  const loadgen = fileURLToPath(new URL('./door-loadgen.js', import.meta.url));
  const results = await runJsonChild<DoorLoadResult[]>([loadgen, JSON.stringify(plan)]);
  const direct = percentile(results[0]!.latencies, 0.5);
  return results.map((r) => ({
    door: r.name,
    p50Ms: round3(percentile(r.latencies, 0.5)),
    p99Ms: round3(percentile(r.latencies, 0.99)),
    requestsPerSecond: Math.round(r.completed / r.seconds),
    failed: r.failed,
    addedP50Ms: round3(percentile(r.latencies, 0.5) - direct),
  }));
}

async function signedInvokeHeaders(port: number, path: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'lambda', sha256: Hash.bind(null, 'sha256') });
  const host = `127.0.0.1:${port}`;
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path, headers: { host, 'content-type': 'application/json' }, body: '{}' }));
  return signed.headers;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
