import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errors, LAMBDA_ERRORS } from '../src/services/lambda/errors.js';
import { recordedLambdaErrors } from './support/error-catalogue.js';

/** Replaces the recordings' placeholders with the values our templates are given below. */
function normalise(message: string): string {
  return message
    .replace(/arn:<partition>:/g, 'arn:aws:')
    .replace(/<region>/g, 'us-east-1')
    .replace(/111111111111/g, '000000000000')
    .replace(/<function-name:1>/g, 'fn');
}

describe('error catalogue against AWS recordings (test/fixtures/parity)', () => {
  const recorded = recordedLambdaErrors();
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:fn';
  const cases: Array<[string, ReturnType<typeof errors.functionNotFound>]> = [
    ['function not found', errors.functionNotFound(`${arn}`)],
    ['update in progress', errors.updateInProgress(arn)],
    ['alias exists', errors.aliasExists(`${arn}:custom`)],
    ['latest not deletable', errors.latestNotDeletable()],
    ['bad zip', errors.badZip()],
    ['too many layers', errors.tooManyLayers()],
    ['zip too large', errors.zipTooLarge(52428800)],
    ['create request too large', errors.requestTooLarge(70167211, 'CreateFunction')],
    ['revision GetFunction/GetAlias', errors.revisionMismatch('GetFunction/GetAlias')],
    ['revision GetPolicy', errors.revisionMismatch('GetPolicy')],
    ['revision GetLayerPolicy', errors.revisionMismatch('GetLayerPolicy')],
    ['s3 bucket missing', errors.s3BucketMissing()],
    ['layer wrong region', errors.layerWrongRegion('us-east-1')],
    ['function of another region', errors.otherRegion('<wrong-region>', 'us-east-1')],
  ];
  for (const [label, error] of cases) {
    test(`${label}: code and message were recorded from AWS`, () => {
      const messages = [...(recorded.get(error.code) ?? [])].map(normalise);
      assert.ok(messages.length > 0, `no recording for ${error.code}`);
      assert.ok(messages.includes(error.message), `"${error.message}" not among recorded ${error.code} messages`);
    });
  }

  test('every catalogued code has a status and the message member AWS uses', () => {
    for (const [code, spec] of Object.entries(LAMBDA_ERRORS)) {
      assert.ok(spec.status >= 400 && spec.status < 600, code);
      assert.ok(spec.messageKey === 'message' || spec.messageKey === 'Message', code);
    }
    assert.equal(LAMBDA_ERRORS.ResourceNotFoundException.messageKey, 'Message');
    assert.equal(LAMBDA_ERRORS.InvalidParameterValueException.messageKey, 'message');
  });
});
