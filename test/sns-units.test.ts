import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AwsError } from '../src/contracts/aws-error.js';
import { QueryParams, queryError, queryResponse, xmlList, xmlMap } from '../src/protocols/query.js';
import { SNS_DIALECT } from '../src/services/sns/limits.js';
import { httpRetryPolicy, nextAttemptDelay } from '../src/services/sns/delivery/retry-schedule.js';
import {
  transitionSubscription,
  type SubscriptionEvent,
  type SubscriptionStatus,
} from '../src/services/sns/subscription-states.js';
import { TransitionNotAllowed } from '../src/lifecycle.js';

const params = (form: string) => QueryParams.fromRequest({ query: new URLSearchParams(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form) }, { formBodyOnly: true });

describe('query protocol', () => {
  test('lists, maps and nested members are read in index order', () => {
    const p = params(
      'Action=X&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1' +
        '&Attributes.entry.1.key=K&Attributes.entry.1.value=V' +
        '&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=s' +
        '&TagKeys.member.10=z&TagKeys.member.2=y',
    );
    assert.deepEqual(p.list('Tags').map((m) => [m.get('Key'), m.get('Value')]), [['a', '1'], ['b', '2']]);
    assert.deepEqual([...p.scalarMap('Attributes')], [['K', 'V']]);
    const attr = p.map('MessageAttributes', 'Name', 'Value').get('n')!;
    assert.equal(attr.get('DataType'), 'String');
    assert.equal(attr.get('StringValue'), 's');
    assert.deepEqual(p.scalarList('TagKeys'), ['y', 'z']);
    assert.equal(p.hasUnder('Tags'), true);
    assert.equal(p.hasUnder('Nope'), false);
  });

  test('the query string counts too (GET requests)', () => {
    const p = QueryParams.fromRequest({ query: new URLSearchParams('Action=ListTopics&NextToken=abc'), headers: {}, body: Buffer.alloc(0) }, { formBodyOnly: true });
    assert.equal(p.get('Action'), 'ListTopics');
    assert.equal(p.get('NextToken'), 'abc');
  });

  test('responses and errors are AWS-shaped XML', () => {
    const ok = queryResponse({ ...SNS_DIALECT, xmlns: 'urn:x' }, 'ListThings', 'req-1', { Things: xmlList([{ Name: 'a&b' }]), Attributes: xmlMap({ k: 'v' }), NextToken: undefined });
    assert.equal(
      ok.body,
      '<ListThingsResponse xmlns="urn:x"><ListThingsResult><Things><member><Name>a&amp;b</Name></member></Things><Attributes><entry><key>k</key><value>v</value></entry></Attributes></ListThingsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListThingsResponse>',
    );
    const err = queryError({ ...SNS_DIALECT, xmlns: 'urn:x' }, new AwsError('NotFound', 404, 'Topic does not exist'), 'req-2');
    assert.equal(err.status, 404);
    assert.equal(
      err.body,
      '<ErrorResponse xmlns="urn:x"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>req-2</RequestId></ErrorResponse>',
    );
  });
});

describe('SNS subscription states', () => {
  const expected: Record<SubscriptionStatus, Record<SubscriptionEvent, SubscriptionStatus | 'refused'>> = {
    PendingConfirmation: { confirm: 'Confirmed', resubscribe: 'PendingConfirmation' },
    Confirmed: { confirm: 'Confirmed', resubscribe: 'Confirmed' },
  };
  for (const [state, events] of Object.entries(expected) as [SubscriptionStatus, Record<SubscriptionEvent, SubscriptionStatus | 'refused'>][]) {
    for (const [event, next] of Object.entries(events) as [SubscriptionEvent, SubscriptionStatus | 'refused'][]) {
      test(`${state} --${event}--> ${next}`, () => {
        if (next === 'refused') assert.throws(() => transitionSubscription(state, event), TransitionNotAllowed);
        else assert.equal(transitionSubscription(state, event), next);
      });
    }
  }
});

describe('SNS retry schedule', () => {
  test('HTTP: three retries 20 s apart, then none', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => nextAttemptDelay('http', n)), [20_000, 20_000, 20_000, null]);
  });
  test('HTTP: a DeliveryPolicy of the subscription, else of the topic, sets retries and delays', () => {
    const sub = JSON.stringify({ healthyRetryPolicy: { numRetries: 4, numNoDelayRetries: 1, minDelayTarget: 1, maxDelayTarget: 7, backoffFunction: 'linear' } });
    const policy = httpRetryPolicy(sub, undefined);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => nextAttemptDelay('https', n, policy)), [0, 1000, 4000, 7000, null]);
    const topic = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 0, minDelayTarget: 5 } } });
    assert.equal(nextAttemptDelay('http', 1, httpRetryPolicy(undefined, topic)), null);
    assert.equal(httpRetryPolicy(undefined, undefined), undefined);
  });
  test('SQS and Lambda: exponential from 1 s, capped at 5 minutes', () => {
    assert.deepEqual([1, 2, 3, 9, 10, 50].map((n) => nextAttemptDelay('sqs', n)), [1000, 2000, 4000, 256_000, 300_000, 300_000]);
    assert.equal(nextAttemptDelay('lambda', 100_000), null);
  });
});
