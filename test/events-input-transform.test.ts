import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetPayload, validateTargetInput } from '../src/services/events/input-transform.js';
import type { EventEnvelope, Target } from '../src/services/events/model.js';

// Templates and outputs as AWS delivered them to an SQS target (recorded responses of real AWS).
const event: EventEnvelope = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'core.update-account-command',
  source: 'core.update-account-command',
  account: '000000000000',
  time: '2026-01-05T10:15:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' }, listsingle: ['HIGH'], listmulti: ['ACTIVE', 'INACTIVE'], valid: true },
};
const paths = {
  userId: '$.detail.payload.acc_id',
  payload: '$.detail.payload',
  systemstring: '$.detail.awsAccountId',
  listsingle: '$.detail.listsingle',
  listmulti: '$.detail.listmulti',
  valid: '$.detail.valid',
  command: '$.detail.command',
  'detail-type': '$.detail-type',
  timestamp: '$.time',
};
const rule = { arn: 'arn:aws:events:us-east-1:000000000000:rule/r', name: 'r' };
const transformed = (template: string) => targetPayload({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, event, rule, Date.parse('2026-01-05T10:15:01Z'));

describe('InputTransformer (recorded AWS outputs)', () => {
  const cases: Array<[string, unknown]> = [
    ['{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}', { method: 'PUT', path: 'users-service/users/0a787ecb-4015', bod: { acc_id: '0a787ecb-4015', sf_id: 'baz' } }],
    ['"Payload of <payload> with path users-service/users/<userId> and <userId>"', 'Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015'],
    ['{"id" : <userId>}', { id: '0a787ecb-4015' }],
    ['{"id" : "<userId>"}', { id: '0a787ecb-4015' }],
    ['{"method": "PUT", "path": "users-service/users/<userId>", "bod": [<userId>, "hardcoded"]}', { method: 'PUT', path: 'users-service/users/0a787ecb-4015', bod: ['0a787ecb-4015', 'hardcoded'] }],
    ['"<listsingle> single list item"', '[HIGH] single list item'],
    ['"<listmulti> multiple list items"', '[ACTIVE,INACTIVE] multiple list items'],
    ['{"singlelistitem": <listsingle>}', { singlelistitem: ['HIGH'] }],
    ['"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"', '[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id'],
    ['{"multi_replacement": "users/<userId>/second/<userId>"}', { multi_replacement: 'users/0a787ecb-4015/second/0a787ecb-4015' }],
    ['"Command is <valid>!"', 'Command is true!'],
    ['{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}', { detailType: 'core.update-account-command', time: '2026-01-05T10:15:00Z', command: 'update-account' }],
    ['{"command": <systemstring>}', { command: '' }],
  ];
  for (const [template, expected] of cases) {
    it(template, () => {
      const out = transformed(template);
      assert.ok(out !== null);
      assert.deepEqual(JSON.parse(out), expected);
    });
  }

  it('predefined variables', () => {
    const out = transformed('"<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"');
    assert.equal(JSON.parse(out!), 'arn:aws:events:us-east-1:000000000000:rule/r r 2026-01-05T10:15:01.000Z');
    const whole = JSON.parse(transformed('{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}')!);
    assert.deepEqual(whole.originalEventJson, event);
    assert.deepEqual(Object.keys(whole.originalEvent).sort(), ['account', 'detailType', 'id', 'region', 'resources', 'source', 'time', 'version']);
  });

  it('a JSON template that quotes an object or a list drops the event for that target', () => {
    assert.equal(transformed('{"payload": "<payload>"}'), null);
    assert.equal(transformed('{"singlelistitem": "<listsingle>"}'), null);
  });

  it('InputPath and Input', () => {
    assert.equal(targetPayload({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:0:q', InputPath: '$.detail.payload' }, event, rule, 0), '{"acc_id":"0a787ecb-4015","sf_id":"baz"}');
    assert.equal(targetPayload({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:0:q', InputPath: "$.detail['listmulti'][1]" }, event, rule, 0), '"INACTIVE"');
    assert.equal(targetPayload({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:0:q', Input: '{"a":1}' }, event, rule, 0), '{"a":1}');
  });

  it('validation at PutTargets', () => {
    const base: Target = { Id: 't', Arn: 'arn:aws:sqs:us-east-1:0:q' };
    assert.throws(() => validateTargetInput({ ...base, InputTransformer: { InputPathsMap: { a: '$.x' }, InputTemplate: '"<a> <b>"' } }), /InputTemplate for target t contains invalid placeholder b\./);
    assert.throws(() => validateTargetInput({ ...base, Input: '{}', InputTransformer: { InputTemplate: '"x"' } }), /Only one of Input, InputPath, or InputTransformer must be provided for target t\./);
    assert.doesNotThrow(() => validateTargetInput({ ...base, InputTransformer: { InputTemplate: '"<aws.events.rule-name>"' } }));
  });
});
