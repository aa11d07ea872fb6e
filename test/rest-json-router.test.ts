import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestJsonRouter, type RestJsonRoute } from '../src/protocols/rest-json.js';

const route = (operation: string, method: string, path: string): RestJsonRoute => ({ operation, method, path, handler: async () => ({ status: 200, headers: {}, body: '' }) });

test('routes by method and path in the order added; 405 when only another method has the path; parameters decoded', () => {
  const router = new RestJsonRouter().add([
    route('ListFunctions', 'GET', '/2015-03-31/functions'),
    route('CreateFunction', 'POST', '/2015-03-31/functions'),
    route('GetFunction', 'GET', '/2015-03-31/functions/{FunctionName}'),
    route('Invoke', 'POST', '/2015-03-31/functions/{FunctionName}/invocations'),
    route('GetAlias', 'GET', '/2015-03-31/functions/{FunctionName}/aliases/{Name}'),
    route('Tagged', 'GET', '/2017-03-31/tags/{ARN+}'),
    // Added after a route whose pattern also matches its paths: never reached, as before.
    route('Shadowed', 'GET', '/2015-03-31/functions/special'),
  ]);
  const at = (method: string, path: string) => {
    const m = router.match(method, path);
    return m === null || m === 'method-not-allowed' ? m : [m.route.operation, m.params];
  };
  assert.deepEqual(at('GET', '/2015-03-31/functions'), ['ListFunctions', {}]);
  assert.deepEqual(at('GET', '/2015-03-31/functions/'), ['ListFunctions', {}]);
  assert.deepEqual(at('POST', '/2015-03-31/functions/'), ['CreateFunction', {}]);
  assert.deepEqual(at('POST', '/2015-03-31/functions/my%3Afn/invocations'), ['Invoke', { FunctionName: 'my:fn' }]);
  assert.deepEqual(at('GET', '/2015-03-31/functions/f/aliases/live'), ['GetAlias', { FunctionName: 'f', Name: 'live' }]);
  assert.deepEqual(at('GET', '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af'), ['Tagged', { ARN: 'arn:aws:lambda:us-east-1:1:function:f' }]);
  assert.deepEqual(at('GET', '/2015-03-31/functions/special'), ['GetFunction', { FunctionName: 'special' }]);
  assert.equal(at('DELETE', '/2015-03-31/functions/f/invocations'), 'method-not-allowed');
  assert.equal(at('PUT', '/2015-03-31/functions'), 'method-not-allowed');
  assert.equal(at('GET', '/2015-03-31/functions/f/nothing'), null);
  assert.equal(at('GET', '/2015-03-31/FUNCTIONS'), null, 'paths compare case-sensitively');
  assert.equal(at('POST', '/other'), null);
});
