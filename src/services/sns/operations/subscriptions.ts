import { randomBytes } from 'node:crypto';
import type { XmlValue } from '../../../protocols/xml-writer.js';
import { xmlList, xmlMap } from '../../../protocols/query.js';
import { newSubscriptionArn, parseSubscriptionArn, parseTopicArn } from '../arns.js';
import { renderingFor } from '../rendering.js';
import { confirmationDelivery } from '../delivery/confirmations.js';
import type { SnsDeps, SnsRequest } from '../deps.js';
import { snsErrors } from '../errors.js';
import { CONFIRMATION_TOKEN_TTL_MS, SUBSCRIPTIONS_PAGE_SIZE } from '../limits.js';
import { decodeNextToken, encodeNextToken } from '../paging.js';
import { applySubscriptionAttributes, subscriptionAttributesView } from '../subscription-attributes.js';
import { confirmedOnSubscribe, transitionSubscription } from '../subscription-states.js';
import { subscriptionRow, type Subscription } from '../tables/subscriptions-table.js';
import { isFifoTopic } from '../topic-attributes.js';
import { loadTopic } from './topics.js';

type Result = Record<string, XmlValue> | undefined;

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);

export async function subscribe(deps: SnsDeps, { ctx, params }: SnsRequest): Promise<Result> {
  const protocolParam = params.get('Protocol');
  if (protocolParam === undefined) throw snsErrors.validationNull('protocol');
  const topic = await loadTopic(deps, params.get('TopicArn'));
  const protocol = protocolParam.toLowerCase();
  if (!PROTOCOLS.has(protocol)) throw snsErrors.unsupportedProtocol(protocolParam);
  const endpoint = params.get('Endpoint') ?? '';
  checkEndpoint(protocol, endpoint, isFifoTopic(topic));
  const requested = Object.fromEntries(params.scalarMap('Attributes'));
  const attributes = applySubscriptionAttributes({}, requested, { inAttributes: true, protocol });
  const returnArn = params.get('ReturnSubscriptionArn') === 'true';

  const now = deps.clock.now();
  const pending = !confirmedOnSubscribe(protocol);
  const subscription: Subscription = {
    arn: newSubscriptionArn(topic.arn),
    topicArn: topic.arn,
    accountId: ctx.accountId,
    region: ctx.region,
    protocol,
    endpoint,
    owner: ctx.accountId,
    attributes,
    status: pending ? 'PendingConfirmation' : 'Confirmed',
    token: pending ? randomBytes(64).toString('hex') : null,
    tokenExpiresAt: pending ? now + CONFIRMATION_TOKEN_TTL_MS : null,
    createdAt: now,
  };
  const rendering = pending ? await renderingFor(deps, topic.attributes) : undefined;
  // The look for an identical subscription and the insert run in one transaction: checked
  // outside it, identical Subscribe calls at once each found none and each inserted one (on
  // PostgreSQL), where AWS answers the same SubscriptionArn. The callback may run again (a
  // transaction the store retries): it only touches the database.
  const { found, resent } = await deps.db.transaction().execute(async (trx) => {
    const existing = await deps.subscriptions.find(topic.arn, protocol, endpoint, trx);
    if (existing) {
      for (const [k, v] of Object.entries(attributes)) {
        if (existing.attributes[k] !== v) throw snsErrors.subscriptionExistsWithDifferentAttributes();
      }
      // Subscribing again while confirmation is pending sends the confirmation again, with a fresh expiry.
      if (existing.status !== 'PendingConfirmation' || !rendering) return { found: existing, resent: false };
      const refreshed: Subscription = { ...existing, status: transitionSubscription(existing.status, 'resubscribe'), tokenExpiresAt: now + CONFIRMATION_TOKEN_TTL_MS };
      const { arn, ...rest } = subscriptionRow(refreshed);
      await trx.updateTable('sns_subscriptions').set(rest).where('arn', '=', arn).execute();
      await deps.deliveries.insert(trx, [confirmationDelivery('SubscriptionConfirmation', refreshed, refreshed.token!, now, rendering)], now);
      return { found: refreshed, resent: true };
    }
    await trx.insertInto('sns_subscriptions').values(subscriptionRow(subscription)).execute();
    // HTTP(S) endpoints get a POST; email and email-json addresses an email, kept in the outbox.
    if (rendering) {
      await deps.deliveries.insert(trx, [confirmationDelivery('SubscriptionConfirmation', subscription, subscription.token!, now, rendering)], now);
    }
    return { found: subscription, resent: !!rendering };
  });
  if (resent) deps.drainer.kick();
  return { SubscriptionArn: found.status === 'PendingConfirmation' && !returnArn ? 'pending confirmation' : found.arn };
}

function checkEndpoint(protocol: string, endpoint: string, fifoTopic: boolean): void {
  switch (protocol) {
    case 'sqs': {
      const parts = endpoint.split(':');
      if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || !parts[5]) throw snsErrors.invalidSqsEndpoint();
      if (!fifoTopic && endpoint.endsWith('.fifo')) throw snsErrors.fifoQueueOnStandardTopic();
      return;
    }
    case 'lambda': {
      const parts = endpoint.split(':');
      if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'lambda' || parts[5] !== 'function') throw snsErrors.invalidLambdaEndpoint();
      return;
    }
    case 'http':
    case 'https': {
      let url: URL;
      try {
        url = new URL(endpoint);
      } catch {
        throw snsErrors.invalidHttpEndpoint();
      }
      if (url.protocol !== `${protocol}:`) throw snsErrors.invalidHttpEndpoint();
      return;
    }
    default:
      if (endpoint === '') throw snsErrors.invalidParameter('Endpoint');
  }
}

/** Also what the SubscribeURL does (unsigned, through the internal route). */
export async function confirmSubscription(deps: SnsDeps, { params, ctx }: Pick<SnsRequest, 'params'> & { ctx?: SnsRequest['ctx'] }): Promise<Result> {
  const arn = params.get('TopicArn');
  const token = params.get('Token');
  if (arn === undefined) throw snsErrors.validationNull('topicArn');
  if (token === undefined) throw snsErrors.validationNull('token');
  let topicArn: string;
  try {
    const ref = parseTopicArn(arn);
    // A signed call names a topic of its own region; the unsigned SubscribeURL carries any.
    if (ctx && ref.region !== ctx.region) throw snsErrors.invalidParameter('Topic');
    topicArn = ref.arn;
  } catch {
    throw snsErrors.invalidParameter('Topic');
  }
  const topic = await deps.topics.get(topicArn);
  if (!topic) throw snsErrors.topicNotFound();
  const subscription = await deps.subscriptions.byToken(topicArn, token);
  if (!subscription || (subscription.tokenExpiresAt !== null && subscription.tokenExpiresAt < deps.clock.now())) throw snsErrors.invalidToken();
  await deps.subscriptions.change(subscription.arn, (current) => {
    const status = transitionSubscription(current.status, 'confirm');
    return status === current.status ? null : { ...current, status };
  });
  return { SubscriptionArn: subscription.arn };
}

/** Unsubscribing twice, or from a deleted topic, succeeds, as in AWS. */
export async function unsubscribe(deps: SnsDeps, { params }: Pick<SnsRequest, 'params'>): Promise<Result> {
  const arn = params.get('SubscriptionArn');
  if (arn === undefined || arn === '') throw snsErrors.missingRequired('SubscriptionArn');
  parseSubscriptionArn(arn);
  const subscription = await deps.subscriptions.get(arn);
  if (!subscription) return undefined;
  const http = subscription.protocol === 'http' || subscription.protocol === 'https';
  // The topic may be gone already (unsubscribing from a deleted topic succeeds): then version 1.
  const rendering = http ? await renderingFor(deps, (await deps.topics.get(subscription.topicArn))?.attributes ?? {}) : undefined;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sns_deliveries').where('subscription_arn', '=', arn).execute();
    await trx.deleteFrom('sns_subscriptions').where('arn', '=', arn).execute();
    if (rendering) {
      const token = randomBytes(64).toString('hex');
      await deps.deliveries.insert(trx, [confirmationDelivery('UnsubscribeConfirmation', subscription, token, now, rendering)], now);
    }
  });
  deps.drainer.kick();
  return undefined;
}

function listEntry(s: Subscription): XmlValue {
  return {
    SubscriptionArn: s.status === 'PendingConfirmation' ? 'PendingConfirmation' : s.arn,
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

export async function listSubscriptions(deps: SnsDeps, { ctx, params }: SnsRequest): Promise<Result> {
  const after = decodeNextToken(params.get('NextToken'));
  const page = await deps.subscriptions.page({ accountId: ctx.accountId, region: ctx.region }, after, SUBSCRIPTIONS_PAGE_SIZE + 1);
  return pageResult(page);
}

export async function listSubscriptionsByTopic(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await loadTopic(deps, params.get('TopicArn'));
  const after = decodeNextToken(params.get('NextToken'));
  const page = await deps.subscriptions.page({ topicArn: topic.arn }, after, SUBSCRIPTIONS_PAGE_SIZE + 1);
  return pageResult(page);
}

function pageResult(page: Subscription[]): Result {
  const more = page.length > SUBSCRIPTIONS_PAGE_SIZE;
  const shown = page.slice(0, SUBSCRIPTIONS_PAGE_SIZE);
  return {
    Subscriptions: xmlList(shown.map(listEntry)),
    NextToken: more ? encodeNextToken(shown[shown.length - 1]!.arn) : undefined,
  };
}

async function loadSubscription(deps: SnsDeps, arn: string | undefined): Promise<Subscription> {
  if (arn === undefined) throw snsErrors.validationNull('subscriptionArn');
  parseSubscriptionArn(arn);
  const subscription = await deps.subscriptions.get(arn);
  if (!subscription) throw snsErrors.subscriptionNotFound();
  return subscription;
}

export async function getSubscriptionAttributes(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const subscription = await loadSubscription(deps, params.get('SubscriptionArn'));
  return { Attributes: xmlMap(subscriptionAttributesView(subscription)) };
}

export async function setSubscriptionAttributes(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const name = params.get('AttributeName');
  if (name === undefined) throw snsErrors.validationNull('attributeName');
  const subscription = await loadSubscription(deps, params.get('SubscriptionArn'));
  const given = { [name]: params.get('AttributeValue') ?? '' };
  const changed = await deps.subscriptions.change(subscription.arn, (current) => ({
    ...current, attributes: applySubscriptionAttributes(current.attributes, given, { inAttributes: false, protocol: current.protocol }),
  }));
  if (!changed) throw snsErrors.subscriptionNotFound();
  return undefined;
}

