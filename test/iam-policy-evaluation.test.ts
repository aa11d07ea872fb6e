import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicy, PolicyDocumentError } from '../src/auth/policy/document.js';
import { evaluate, trustAllows } from '../src/auth/policy/evaluate.js';

const policy = (...Statement: object[]) => compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement }), 'identity');
const ctx = (entries: Record<string, string | string[]> = {}) => new Map(Object.entries(entries));

describe('identity-policy evaluation', () => {
  test('nothing allowed is an implicit deny; an explicit Deny wins over any Allow', () => {
    assert.equal(evaluate([], 's3:GetObject', 'arn:aws:s3:::b/k', ctx()), 'implicit-deny');
    const allow = policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const deny = policy({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/secret*' });
    assert.equal(evaluate([allow, deny], 's3:GetObject', 'arn:aws:s3:::b/k', ctx()), 'allow');
    assert.equal(evaluate([allow, deny], 's3:GetObject', 'arn:aws:s3:::b/secret.txt', ctx()), 'explicit-deny');
  });

  test('actions match case-insensitively with * and ?; resources case-sensitively', () => {
    const p = policy({ Effect: 'Allow', Action: ['LAMBDA:get*', 'sqs:?endMessage'], Resource: 'arn:aws:lambda:*:*:function:app-*' });
    assert.equal(evaluate([p], 'lambda:GetFunction', 'arn:aws:lambda:us-east-1:000000000000:function:app-x', ctx()), 'allow');
    assert.equal(evaluate([p], 'lambda:GetFunction', 'arn:aws:lambda:us-east-1:000000000000:function:APP-x', ctx()), 'implicit-deny');
    assert.equal(evaluate([p], 'sqs:SendMessage', 'arn:aws:lambda:us-east-1:000000000000:function:app-1', ctx()), 'allow');
    assert.equal(evaluate([p], 'lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:000000000000:function:app-x', ctx()), 'implicit-deny');
  });

  test('NotAction and NotResource allow everything but what they name', () => {
    const p = policy({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::private/*' });
    assert.equal(evaluate([p], 's3:GetObject', 'arn:aws:s3:::public/k', ctx()), 'allow');
    assert.equal(evaluate([p], 's3:GetObject', 'arn:aws:s3:::private/k', ctx()), 'implicit-deny');
    assert.equal(evaluate([p], 'iam:CreateRole', '*', ctx()), 'implicit-deny');
  });

  test('conditions: String, Arn, Numeric, Date, Bool, IpAddress, Null, IfExists, ForAnyValue/ForAllValues', () => {
    const when = (Condition: object) => policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition });
    const decide = (Condition: object, keys: Record<string, string | string[]>) => evaluate([when(Condition)], 's3:GetObject', '*', ctx(keys));
    assert.equal(decide({ StringEquals: { 'aws:username': ['ann', 'bob'] } }, { 'aws:username': 'bob' }), 'allow');
    assert.equal(decide({ StringEquals: { 'aws:username': 'ann' } }, { 'aws:username': 'Ann' }), 'implicit-deny');
    assert.equal(decide({ StringEqualsIgnoreCase: { 'aws:username': 'ann' } }, { 'AWS:USERNAME': 'Ann' }), 'allow');
    assert.equal(decide({ StringNotEquals: { 'aws:username': 'ann' } }, { 'aws:username': 'ann' }), 'implicit-deny');
    assert.equal(decide({ StringLike: { 'aws:userid': 'AROA*:fn-?' } }, { 'aws:userid': 'AROAXYZ:fn-1' }), 'allow');
    assert.equal(decide({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app-*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/app-1' }), 'allow');
    // Each of the six parts on its own: `*` in the account does not reach across into the resource.
    assert.equal(decide({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:000000000000:topic' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:extra:000000000000:topic' }), 'implicit-deny');
    // A pattern of fewer parts is matched whole: `"aws:SourceArn": "*"` allows any source.
    assert.equal(decide({ ArnLike: { 'aws:SourceArn': '*' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:topic' }), 'allow');
    assert.equal(decide({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:*' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:topic' }), 'implicit-deny');
    assert.equal(decide({ ArnNotLike: { 'aws:SourceArn': '*' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:topic' }), 'implicit-deny');
    assert.equal(decide({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/a' } }, { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/b' }), 'implicit-deny');
    assert.equal(decide({ NumericLessThan: { 'aws:EpochTime': '2000000000' } }, { 'aws:EpochTime': '1700000000' }), 'allow');
    assert.equal(decide({ DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-12-06T00:00:00Z' }), 'implicit-deny');
    assert.equal(decide({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' }), 'allow');
    assert.equal(decide({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.1.2.3' }), 'allow');
    assert.equal(decide({ NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8'] } }, { 'aws:SourceIp': '127.0.0.1' }), 'implicit-deny');
    assert.equal(decide({ Null: { 'aws:username': 'true' } }, {}), 'allow');
    // A key the request lacks fails the condition, unless IfExists says to skip it.
    assert.equal(decide({ StringEquals: { 'aws:username': 'ann' } }, {}), 'implicit-deny');
    assert.equal(decide({ StringEqualsIfExists: { 'aws:username': 'ann' } }, {}), 'allow');
    assert.equal(decide({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['z', 'b'] }), 'allow');
    assert.equal(decide({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a', 'z'] }), 'implicit-deny');
    assert.equal(decide({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }, {}), 'allow');
  });

  test('documents are checked: JSON, Effect, Action, Resource (identity) and Principal (trust)', () => {
    const refused = (text: string, kind: 'identity' | 'trust', message: string) =>
      assert.throws(() => compilePolicy(text, kind), (err: Error) => err instanceof PolicyDocumentError && err.message === message);
    refused('{', 'identity', 'This policy contains invalid Json');
    refused(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'identity', 'Policy statement must contain actions.');
    refused(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }), 'identity', 'Policy statement must contain resources.');
    refused(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'trust', 'Missing required field Principal');
  });

  test('trust policies name services, accounts and ARNs', () => {
    const trust = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' },
    ] }), 'trust');
    assert.equal(trustAllows(trust, { service: 'lambda.amazonaws.com' }, 'sts:AssumeRole'), true);
    assert.equal(trustAllows(trust, { service: 'ec2.amazonaws.com' }, 'sts:AssumeRole'), false);
    assert.equal(trustAllows(trust, { arn: 'arn:aws:iam::111111111111:user/x', accountId: '111111111111' }, 'sts:AssumeRole'), true);
    assert.equal(trustAllows(trust, { arn: 'arn:aws:iam::222222222222:root', accountId: '222222222222' }, 'sts:AssumeRole'), false);
  });
});
