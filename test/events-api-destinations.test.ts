import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DeauthorizeConnectionCommand, DeleteApiDestinationCommand, DeleteConnectionCommand,
  DescribeApiDestinationCommand, DescribeConnectionCommand, EventBridgeClient, ListApiDestinationsCommand, ListConnectionsCommand, PutEventsCommand,
  PutRuleCommand, PutTargetsCommand, UpdateApiDestinationCommand, UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { CONNECTION_EVENT_LIST, CONNECTION_STATE_LIST, connectionTransition } from '../src/services/events/connections/connection-states.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { startTestServer, type TestServer } from './support/server.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A local HTTP endpoint: `/token` is an OAuth token endpoint, everything else records the request and answers `status(path)`. */
class Endpoint {
  readonly requests: Received[] = [];
  readonly tokenRequests: Received[] = [];
  status: (path: string, headers: IncomingMessage['headers']) => number = () => 200;
  tokenCounter = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got: Received = { method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        if (req.url!.startsWith('/token')) {
          this.tokenRequests.push(got);
          const ok = req.headers.authorization === `Basic ${Buffer.from('client-1:s3cret').toString('base64')}`;
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          res.end(ok ? JSON.stringify({ access_token: `token-${++this.tokenCounter}`, token_type: 'Bearer', expires_in: 3600 }) : '{}');
          return;
        }
        this.requests.push(got);
        res.writeHead(this.status(req.url!, req.headers));
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  forPath(prefix: string): Received[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  async waitFor(prefix: string, count: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.forPath(prefix).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} requests to ${prefix} (got ${this.forPath(prefix).length})`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.forPath(prefix);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function rejectsWith(promise: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    return true;
  });
}

describe('EventBridge connections and API destinations', () => {
  let server: TestServer;
  let eb: EventBridgeClient;
  const endpoint = new Endpoint();
  const recorder = new RecordingSink();

  before(async () => {
    await endpoint.start();
    const sinks = new DeliverySinks();
    sinks.register(recorder);
    server = await startTestServer({}, { sinks });
    eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    eb.destroy();
    await server.stop();
    await endpoint.close();
  });

  async function ruleTo(name: string, source: string, target: Record<string, unknown>): Promise<void> {
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }));
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'api', RoleArn: 'arn:aws:iam::000000000000:role/eb', ...target } as never] }));
  }

  async function destination(name: string, connectionArn: string, path: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: name, ConnectionArn: connectionArn, InvocationEndpoint: `${endpoint.url}${path}`, HttpMethod: 'POST', ...extra }));
    return ApiDestinationArn!;
  }

  const put = (source: string, detail: unknown) => eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Order', Detail: JSON.stringify(detail) }] }));

  test('the connection state table: every state × event pair is listed or refused', () => {
    for (const state of CONNECTION_STATE_LIST) {
      for (const event of CONNECTION_EVENT_LIST) {
        const refused = state === 'DEAUTHORIZED' && (event === 'tokenFetched' || event === 'authorizationFailed');
        if (refused) assert.throws(() => connectionTransition(state, event), `${state} × ${event}`);
        else assert.ok(CONNECTION_STATE_LIST.includes(connectionTransition(state, event)), `${state} × ${event}`);
      }
    }
  });

  test('an API key connection is AUTHORIZED, never shows its key, can be listed, updated, deauthorized and deleted', async () => {
    const created = await eb.send(new CreateConnectionCommand({
      Name: 'keyed', Description: 'partner', AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'super-secret' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-tenant', Value: 'hidden-tenant', IsValueSecret: true }, { Key: 'x-plain', Value: 'shown', IsValueSecret: false }] } },
    }));
    assert.match(created.ConnectionArn!, /^arn:aws:events:us-east-1:000000000000:connection\/keyed\/[-a-f0-9]{36}$/);
    assert.equal(created.ConnectionState, 'AUTHORIZED');
    const described = await eb.send(new DescribeConnectionCommand({ Name: 'keyed' }));
    assert.equal(described.ConnectionState, 'AUTHORIZED');
    assert.equal(described.Description, 'partner');
    assert.deepEqual(described.AuthParameters?.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' });
    assert.deepEqual(described.AuthParameters?.InvocationHttpParameters?.HeaderParameters, [{ Key: 'x-tenant', IsValueSecret: true }, { Key: 'x-plain', Value: 'shown', IsValueSecret: false }]);
    assert.ok(!JSON.stringify(described).includes('super-secret') && !JSON.stringify(described).includes('hidden-tenant'));
    const listed = await eb.send(new ListConnectionsCommand({ NamePrefix: 'key' }));
    assert.deepEqual(listed.Connections?.map((c) => [c.Name, c.AuthorizationType, c.ConnectionState]), [['keyed', 'API_KEY', 'AUTHORIZED']]);

    const deauthorized = await eb.send(new DeauthorizeConnectionCommand({ Name: 'keyed' }));
    assert.equal(deauthorized.ConnectionState, 'DEAUTHORIZING');
    assert.equal((await eb.send(new DescribeConnectionCommand({ Name: 'keyed' }))).ConnectionState, 'DEAUTHORIZED');
    assert.deepEqual((await eb.send(new ListConnectionsCommand({ ConnectionState: 'AUTHORIZED', NamePrefix: 'key' }))).Connections, []);
    const updated = await eb.send(new UpdateConnectionCommand({ Name: 'keyed', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'new-secret' } } }));
    assert.equal(updated.ConnectionState, 'AUTHORIZED');
    assert.deepEqual((await eb.send(new DescribeConnectionCommand({ Name: 'keyed' }))).AuthParameters?.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' });

    assert.equal((await eb.send(new DeleteConnectionCommand({ Name: 'keyed' }))).ConnectionState, 'DELETING');
    await rejectsWith(eb.send(new DescribeConnectionCommand({ Name: 'keyed' })), 'ResourceNotFoundException', "Failed to describe the connection(s). Connection 'keyed' does not exist.");
  });

  test('bad connection requests get AWS validation errors', async () => {
    await rejectsWith(
      eb.send(new CreateConnectionCommand({ Name: 'bad name', AuthorizationType: 'BASIC' as never, AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })),
      'ValidationException',
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    await rejectsWith(
      eb.send(new CreateConnectionCommand({ Name: 'nokey', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k' } as never } })),
      'ValidationException',
      "1 validation error detected: Value null at 'authParameters.apiKeyAuthParameters.apiKeyValue' failed to satisfy constraint: Member must not be null",
    );
    await rejectsWith(
      eb.send(new CreateConnectionCommand({ Name: 'nokey', AuthorizationType: 'NONE' as never, AuthParameters: {} })),
      'ValidationException',
      "1 validation error detected: Value 'NONE' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
    );
    await eb.send(new CreateConnectionCommand({ Name: 'twice', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    await rejectsWith(eb.send(new CreateConnectionCommand({ Name: 'twice', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } })), 'ResourceAlreadyExistsException', 'Connection twice already exists.');
    await rejectsWith(eb.send(new DescribeApiDestinationCommand({ Name: 'none' })), 'ResourceNotFoundException', "Failed to describe the api-destination(s). An api-destination 'none' does not exist.");
    await rejectsWith(
      eb.send(new CreateApiDestinationCommand({ Name: 'orphan', ConnectionArn: 'arn:aws:events:us-east-1:000000000000:connection/gone/0000', InvocationEndpoint: `${endpoint.url}/x`, HttpMethod: 'POST' })),
      'ResourceNotFoundException',
      "Failed to describe the connection(s). Connection 'gone' does not exist.",
    );
  });

  test('an API destination is created, described, listed, updated and deleted', async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: 'crud', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const arn = await destination('crud-dest', ConnectionArn!, '/crud/*');
    assert.match(arn, /^arn:aws:events:us-east-1:000000000000:api-destination\/crud-dest\/[-a-f0-9]{36}$/);
    const described = await eb.send(new DescribeApiDestinationCommand({ Name: 'crud-dest' }));
    assert.equal(described.ConnectionArn, ConnectionArn);
    assert.equal(described.InvocationRateLimitPerSecond, 300);
    assert.equal(described.ApiDestinationState, 'ACTIVE');
    await eb.send(new UpdateApiDestinationCommand({ Name: 'crud-dest', HttpMethod: 'PUT', InvocationRateLimitPerSecond: 5 }));
    const listed = await eb.send(new ListApiDestinationsCommand({ ConnectionArn }));
    assert.deepEqual(listed.ApiDestinations?.map((d) => [d.Name, d.HttpMethod, d.InvocationRateLimitPerSecond]), [['crud-dest', 'PUT', 5]]);
    await rejectsWith(eb.send(new UpdateApiDestinationCommand({ Name: 'crud-dest', HttpMethod: 'TRACE' as never })), 'ValidationException', /Member must satisfy enum value set: \[POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE\]/);
    await eb.send(new DeleteApiDestinationCommand({ Name: 'crud-dest' }));
    await rejectsWith(eb.send(new DeleteApiDestinationCommand({ Name: 'crud-dest' })), 'ResourceNotFoundException', "Failed to describe the api-destination(s). An api-destination 'crud-dest' does not exist.");
  });

  test('a rule target sends the event with the API key, path, header and query parameters (static and from the event) and its InputTransformer', async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({
      Name: 'orders-key', AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-123' }, InvocationHttpParameters: { QueryStringParameters: [{ Key: 'tenant', Value: 'acme', IsValueSecret: true }], BodyParameters: [{ Key: 'via', Value: 'eventbridge' }] } },
    }));
    const arn = await destination('orders', ConnectionArn!, '/orders/*/lines/*', { HttpMethod: 'PUT' });
    await ruleTo('orders-to-api', 'shop', {
      Arn: arn,
      HttpParameters: { PathParameterValues: ['$.detail.id', 'first'], HeaderParameters: { 'x-order-total': '$.detail.total', 'x-static': 'yes' }, QueryStringParameters: { region: '$.region' } },
      InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"order":<id>}' },
    });
    await put('shop', { id: 'o-42', total: 99 });
    const [got] = await endpoint.waitFor('/orders/', 1);
    assert.equal(got!.method, 'PUT');
    const url = new URL(got!.path, endpoint.url);
    assert.equal(url.pathname, '/orders/o-42/lines/first');
    assert.equal(url.searchParams.get('region'), 'us-east-1');
    assert.equal(url.searchParams.get('tenant'), 'acme');
    assert.equal(got!.headers['x-api-key'], 'k-123');
    assert.equal(got!.headers['x-order-total'], '99');
    assert.equal(got!.headers['x-static'], 'yes');
    assert.equal(got!.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    assert.equal(got!.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(got!.body), { order: 'o-42', via: 'eventbridge' });
  });

  test('a basic-auth connection sends its credentials; a 401 deauthorizes it and later events go to the DLQ', async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: 'basic', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'ann', Password: 'pw' } } }));
    const arn = await destination('basic-dest', ConnectionArn!, '/basic');
    await ruleTo('basic-rule', 'basic', { Arn: arn, RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: recorderArn('basic-dlq') } });
    await put('basic', { n: 1 });
    const [first] = await endpoint.waitFor('/basic', 1);
    assert.equal(first!.headers.authorization, `Basic ${Buffer.from('ann:pw').toString('base64')}`);
    assert.equal(JSON.parse(first!.body).detail.n, 1);

    endpoint.status = (path) => (path.startsWith('/basic') ? 401 : 200);
    await put('basic', { n: 2 });
    await recorder.waitFor(recorderArn('basic-dlq'), 1);
    const described = await eb.send(new DescribeConnectionCommand({ Name: 'basic' }));
    assert.equal(described.ConnectionState, 'DEAUTHORIZED');
    assert.match(described.StateReason!, /HTTP 401/);
    await put('basic', { n: 3 });
    const dead = await recorder.waitFor(recorderArn('basic-dlq'), 2);
    assert.equal(dead[1]!.attributes?.ERROR_CODE?.value, 'CONNECTION_DEAUTHORIZED');
    assert.equal(endpoint.forPath('/basic').length, 2, 'a deauthorized connection sends nothing');
    endpoint.status = () => 200;
  });

  test('an OAuth connection fetches a token once, caches it, and fetches a new one when the endpoint answers 401', async () => {
    const created = await eb.send(new CreateConnectionCommand({
      Name: 'oauth', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: { AuthorizationEndpoint: `${endpoint.url}/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'client-1', ClientSecret: 's3cret' }, OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'events' }] } } },
    }));
    assert.equal(created.ConnectionState, 'AUTHORIZING');
    let state = '';
    for (let i = 0; i < 100 && state !== 'AUTHORIZED'; i++) {
      state = (await eb.send(new DescribeConnectionCommand({ Name: 'oauth' }))).ConnectionState!;
      if (state !== 'AUTHORIZED') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(state, 'AUTHORIZED');
    const described = await eb.send(new DescribeConnectionCommand({ Name: 'oauth' }));
    assert.deepEqual(described.AuthParameters?.OAuthParameters?.ClientParameters, { ClientID: 'client-1' });
    const form = new URLSearchParams(endpoint.tokenRequests[0]!.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'events');

    const arn = await destination('oauth-dest', created.ConnectionArn!, '/oauth');
    await ruleTo('oauth-rule', 'oauth', { Arn: arn });
    await put('oauth', { n: 1 });
    await put('oauth', { n: 2 });
    const sent = await endpoint.waitFor('/oauth', 2);
    assert.deepEqual(sent.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-1']);
    assert.equal(endpoint.tokenRequests.length, 1, 'the token is cached');

    // The first token is revoked: the endpoint refuses it, EventBridge fetches another and sends again.
    endpoint.status = (path, headers) => (path.startsWith('/oauth') && headers.authorization === 'Bearer token-1' ? 401 : 200);
    await put('oauth', { n: 3 });
    const after = await endpoint.waitFor('/oauth', 4);
    assert.deepEqual(after.slice(2).map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
    assert.equal(endpoint.tokenRequests.length, 2);
    endpoint.status = () => 200;

    await rejectsWith(
      eb.send(new CreateConnectionCommand({ Name: 'oauth-bad', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } })),
      'ValidationException',
      /authParameters\.oAuthParameters\.clientParameters' failed to satisfy constraint: Member must not be null/,
    );
  });

  test('a 5xx is retried within the RetryPolicy and then dead-lettered; a 400 is dead-lettered without a retry', async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: 'failing', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } }));
    endpoint.status = (path) => (path.startsWith('/five') ? 503 : path.startsWith('/four') ? 400 : 200);
    await ruleTo('five-rule', 'five', { Arn: await destination('five', ConnectionArn!, '/five'), RetryPolicy: { MaximumRetryAttempts: 1 }, DeadLetterConfig: { Arn: recorderArn('five-dlq') } });
    await ruleTo('four-rule', 'four', { Arn: await destination('four', ConnectionArn!, '/four'), RetryPolicy: { MaximumRetryAttempts: 5 }, DeadLetterConfig: { Arn: recorderArn('four-dlq') } });
    await put('five', { n: 1 });
    await put('four', { n: 1 });
    const [five] = await recorder.waitFor(recorderArn('five-dlq'), 1);
    assert.equal(endpoint.forPath('/five').length, 2, 'one attempt and one retry');
    assert.equal(five!.attributes?.ERROR_CODE?.value, 'ERROR_FROM_TARGET');
    assert.match(five!.attributes!.ERROR_MESSAGE!.value, /HTTP 503/);
    assert.equal(five!.attributes?.EXHAUSTED_RETRY_CONDITION?.value, 'MaximumRetryAttempts');
    const [four] = await recorder.waitFor(recorderArn('four-dlq'), 1);
    assert.equal(endpoint.forPath('/four').length, 1, 'a 400 is not retried');
    assert.equal(four!.attributes?.RETRY_ATTEMPTS?.value, '0');
    endpoint.status = () => 200;
  });

  test('InvocationRateLimitPerSecond spaces the invocations', async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: 'limited', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } }));
    await ruleTo('limited-rule', 'limited', { Arn: await destination('limited', ConnectionArn!, '/limited', { InvocationRateLimitPerSecond: 2 }) });
    await eb.send(new PutEventsCommand({ Entries: [1, 2, 3, 4, 5, 6].map((n) => ({ Source: 'limited', DetailType: 'Order', Detail: JSON.stringify({ n }) })) }));
    const got = await endpoint.waitFor('/limited', 6);
    const span = got[5]!.at - got[0]!.at;
    // Two in the first instant (the bucket holds a second's worth), then one every 500 ms.
    assert.ok(span >= 1_800, `six invocations at 2/s took ${span} ms`);
    assert.ok(span < 5_000, `six invocations at 2/s took ${span} ms`);
  });
});
