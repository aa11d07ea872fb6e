import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IllegalStackTransition, STACK_STATUSES, transition, type StackStatus } from '../src/services/cloudformation/engine/stack-states.js';
import { resolveValue, type ResolveScope } from '../src/services/cloudformation/template/intrinsics.js';
import { parseTemplate } from '../src/services/cloudformation/template/parse.js';

const scope: ResolveScope = {
  identity: { accountId: '123456789012', region: 'eu-west-1', stackName: 's', stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/id', partition: 'aws', urlSuffix: 'amazonaws.com', notificationArns: [] },
  parameters: new Map<string, string | string[]>([['Env', 'prod'], ['Subnets', ['a', 'b']]]),
  mappings: { M: { prod: { Size: 'large' } } },
  conditions: new Map([['IsProd', true]]),
  resource: (id) => (id === 'Q' ? { ref: 'https://q', attributes: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' } } : undefined),
  importValue: (name) => (name === 'shared' ? 'v' : undefined),
};

describe('CloudFormation templates', () => {
  test('YAML short forms become their long forms', () => {
    const t = parseTemplate('Resources:\n  A:\n    Type: X::Y::Z\n    Properties:\n      P: !GetAtt Q.Arn\n      R: !Sub "${Q}"\n      S: !Join [",", [!Ref Env, b]]\n      T: !GetAZs\n');
    assert.deepEqual((t.Resources as any).A.Properties, { P: { 'Fn::GetAtt': ['Q', 'Arn'] }, R: { 'Fn::Sub': '${Q}' }, S: { 'Fn::Join': [',', [{ Ref: 'Env' }, 'b']] }, T: { 'Fn::GetAZs': '' } });
  });

  test('every intrinsic function resolves as CloudFormation resolves it', () => {
    const r = (v: unknown) => resolveValue(v, scope);
    assert.equal(r({ Ref: 'Q' }), 'https://q');
    assert.equal(r({ 'Fn::GetAtt': 'Q.Arn' }), 'arn:aws:sqs:eu-west-1:123456789012:q');
    assert.equal(r({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Env}/${Q.Arn}/${!Literal}' }), 'arn:aws:x:eu-west-1:123456789012:prod/arn:aws:sqs:eu-west-1:123456789012:q/${Literal}');
    assert.equal(r({ 'Fn::Sub': ['${A}-${Env}', { A: { Ref: 'AWS::StackName' } }] }), 's-prod');
    assert.equal(r({ 'Fn::Join': ['-', { Ref: 'Subnets' }] }), 'a-b');
    assert.deepEqual(r({ 'Fn::Split': [',', 'x,y'] }), ['x', 'y']);
    assert.equal(r({ 'Fn::Select': ['1', { 'Fn::GetAZs': '' }] }), 'eu-west-1b');
    assert.equal(r({ 'Fn::If': ['IsProd', 'big', 'small'] }), 'big');
    assert.equal(r({ 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'Size'] }), 'large');
    assert.equal(r({ 'Fn::FindInMap': ['M', 'dev', 'Size', { DefaultValue: 'tiny' }] }), 'tiny');
    assert.equal(r({ 'Fn::ImportValue': 'shared' }), 'v');
    assert.equal(r({ 'Fn::Base64': 'hi' }), 'aGk=');
    assert.deepEqual(r({ 'Fn::Cidr': ['10.0.0.0/16', 3, 8] }), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    assert.equal(r({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }), true);
    assert.equal(r({ 'Fn::And': [true, { 'Fn::Or': [false, { 'Fn::Not': [false] }] }] }), true);
    assert.equal(r({ 'Fn::Length': [1, 2, 3] }), 3);
    assert.equal(r({ 'Fn::ToJsonString': { a: { Ref: 'Env' } } }), '{"a":"prod"}');
    assert.deepEqual(r({ A: { Ref: 'AWS::NoValue' }, B: [1, { Ref: 'AWS::NoValue' }] }), { B: [1] });
    assert.throws(() => r({ 'Fn::ImportValue': 'nope' }), /No export named nope found\./);
    assert.throws(() => r({ 'Fn::GetAtt': ['Q', 'Nope'] }), /Template error: resource Q does not support attribute type Nope in Fn::GetAtt/);
  });

  test('stack statuses move only as CloudFormation moves them', () => {
    const allowed: [StackStatus, StackStatus][] = [
      ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'], ['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'], ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE'],
      ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'], ['UPDATE_ROLLBACK_COMPLETE', 'DELETE_IN_PROGRESS'], ['REVIEW_IN_PROGRESS', 'CREATE_IN_PROGRESS'],
    ];
    for (const [from, to] of allowed) assert.equal(transition(from, to), to);
    let refused = 0;
    for (const from of STACK_STATUSES) {
      for (const to of STACK_STATUSES) {
        try {
          transition(from, to);
        } catch (err) {
          assert.ok(err instanceof IllegalStackTransition);
          refused++;
        }
      }
    }
    assert.throws(() => transition('DELETE_COMPLETE', 'CREATE_IN_PROGRESS'), IllegalStackTransition);
    assert.throws(() => transition('ROLLBACK_COMPLETE', 'UPDATE_IN_PROGRESS'), IllegalStackTransition);
    assert.ok(refused > STACK_STATUSES.length * (STACK_STATUSES.length - 4));
  });
});
