import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QueryParams } from '../src/protocols/query.js';
import { xmlElement } from '../src/protocols/xml-writer.js';
import { ELB_DIALECT } from '../src/services/elbv2/limits.js';
import type { RuleDoc } from '../src/services/elbv2/model.js';
import { matchRule } from '../src/triggers/http/alb-rules.js';
import { compileRoute, matchRoute } from '../src/triggers/http/http-api-routes.js';
import type { IncomingHttpRequest } from '../src/triggers/http/incoming.js';

function request(method: string, rawPath: string, extra: Partial<IncomingHttpRequest> = {}): IncomingHttpRequest {
  return { method, rawPath, rawQuery: '', headers: new Map(), body: Buffer.alloc(0), sourceIp: '192.168.1.7', hostname: 'a.example.com', localPort: 80, receivedAt: 0, ...extra };
}

describe('HTTP API route selection', () => {
  const routes = ['$default', 'ANY /{proxy+}', 'GET /items/{id}', 'GET /items/special', 'ANY /items/{id}', 'POST /items/{id}/{rest+}'].map((k) => compileRoute(k));
  const pick = (method: string, path: string) => matchRoute(routes, method, path);

  test('literal segments beat parameters, a method beats ANY, greedy comes last, then $default', () => {
    assert.equal(pick('GET', '/items/special')?.route.routeKey, 'GET /items/special');
    assert.deepEqual(pick('GET', '/items/42'), { route: routes[2], pathParameters: { id: '42' } });
    assert.equal(pick('PUT', '/items/42')?.route.routeKey, 'ANY /items/{id}');
    assert.deepEqual(pick('POST', '/items/4/a/b')?.pathParameters, { id: '4', rest: 'a/b' });
    assert.deepEqual(pick('DELETE', '/x/y%20z')?.pathParameters, { proxy: 'x/y z' });
    assert.equal(matchRoute([compileRoute('GET /a'), compileRoute('$default')], 'GET', '/b')?.route.routeKey, '$default');
    assert.equal(matchRoute([compileRoute('GET /a')], 'GET', '/b'), null);
  });
});

describe('ALB rule conditions', () => {
  const fixed = (body: string) => [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', MessageBody: body } }];
  const rule = (priority: number, conditions: RuleDoc['Conditions'], body: string): RuleDoc => ({ RuleArn: `r${priority}`, Priority: String(priority), Conditions: conditions, Actions: fixed(body), IsDefault: false });
  const rules = [
    rule(1, [{ Field: 'source-ip', SourceIpConfig: { Values: ['192.168.0.0/16'] } }, { Field: 'path-pattern', PathPatternConfig: { Values: ['/ip'] } }], 'ip'),
    rule(2, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*', '/v?/x'] } }], 'path'),
    rule(3, [{ Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'on' }] } }], 'query'),
    rule(4, [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.EXAMPLE.com'] } }], 'host'),
  ];
  const body = (req: IncomingHttpRequest) => matchRule(rules, fixed('default'), req)[0]?.FixedResponseConfig?.MessageBody;

  test('every condition of a rule must hold; values of one condition are alternatives', () => {
    assert.equal(body(request('GET', '/ip')), 'ip');
    assert.equal(body(request('GET', '/ip', { sourceIp: '10.1.1.1', hostname: 'other' })), 'default');
    assert.equal(body(request('GET', '/api/a/b', { hostname: 'other' })), 'path');
    assert.equal(body(request('GET', '/v2/x', { hostname: 'other' })), 'path');
    assert.equal(body(request('GET', '/API/a', { hostname: 'other' })), 'default');
    assert.equal(body(request('GET', '/q', { rawQuery: 'flag=on', hostname: 'other' })), 'query');
    assert.equal(body(request('GET', '/h')), 'host');
  });
});

describe('query protocol parsing and XML', () => {
  test('member lists read as structures and scalars, in index order', () => {
    const body = Buffer.from('Action=CreateRule&Version=2015-12-01&Priority=5&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.2=%2Fb&Conditions.member.1.Values.member.1=%2Fa&Actions.member.1.Type=fixed-response&Actions.member.1.FixedResponseConfig.StatusCode=200');
    const params = QueryParams.fromRequest({ body, query: new URLSearchParams(), headers: {} }, { formBodyOnly: false });
    assert.equal(params.action, 'CreateRule');
    assert.equal(params.get('Priority'), '5');
    const conditions = params.structureList('Conditions');
    assert.equal(conditions.length, 1);
    assert.equal(conditions[0]?.get('Field'), 'path-pattern');
    assert.deepEqual(conditions[0]?.scalarList('Values'), ['/a', '/b']);
    const actions = params.structureList('Actions');
    assert.equal(actions[0]?.get('Type'), 'fixed-response');
    assert.equal(actions[0]?.structure('FixedResponseConfig')?.get('StatusCode'), '200');
    assert.equal(actions[0]?.structure('ForwardConfig'), undefined);
  });

  test('XML escapes text and writes lists as member elements', () => {
    assert.equal(xmlElement('R', { A: ['x<y', 'z'], B: { C: true }, D: undefined }, ELB_DIALECT.xml), '<R><A><member>x&lt;y</member><member>z</member></A><B><C>true</C></B></R>');
  });
});
