/** SNS limits and defaults, with AWS's values. */
import type { QueryDialect } from '../../protocols/query.js';
import { escapeXmlKeepingCr } from '../../protocols/xml-writer.js';

/** SNS's query answers: `member`/`entry` lists built with `xmlList`/`xmlMap`, error fields inside `<Error>`. */
export const SNS_DIALECT: QueryDialect = {
  xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  xml: { lists: 'flattened', escape: escapeXmlKeepingCr },
  declaration: false,
  errorDetail: false,
  errorFields: true,
  errorCodeFromHeader: false,
};
/** Publish: message plus attributes, 256 KiB. */
export const MAX_MESSAGE_BYTES = 262_144;
/** PublishBatch: every entry together. */
export const MAX_BATCH_BYTES = 262_144;
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_ENTRY_ID_LENGTH = 80;
export const MAX_SUBJECT_LENGTH = 100;
export const MAX_TOPIC_NAME_LENGTH = 256;
export const MAX_MESSAGE_ATTRIBUTE_NAME_BYTES = 256;
export const MAX_MESSAGE_ATTRIBUTES = 10;
/** ListTopics, ListSubscriptions and ListSubscriptionsByTopic pages. */
export const TOPICS_PAGE_SIZE = 100;
export const SUBSCRIPTIONS_PAGE_SIZE = 100;
export const MAX_TAGS_PER_TOPIC = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** Filter policies: at most 5 keys and 150 combinations; 256 KiB of JSON. */
export const MAX_FILTER_POLICY_KEYS = 5;
export const MAX_FILTER_POLICY_COMBINATIONS = 150;
/** FIFO topics deduplicate within five minutes, as SQS FIFO queues do. */
export const FIFO_DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** Confirmation tokens of HTTP subscriptions are valid for three days. */
export const CONFIRMATION_TOKEN_TTL_MS = 3 * 24 * 3600 * 1000;
/** A leased delivery is taken again after this long if its attempt never finished (crash). */
export const DELIVERY_LEASE_MS = 60_000;
/** HTTP(S): AWS's default healthy retry policy: 3 retries, 20 s apart (linear). */
export const HTTP_RETRIES = 3;
export const HTTP_RETRY_DELAY_MS = 20_000;
export const HTTP_TIMEOUT_MS = 15_000;
/**
 * SQS and Lambda endpoints are AWS-managed: AWS retries for 23 days. We back off from 1 s up to
 * 5 min and give up after that many attempts (about 23 days at the cap).
 */
export const MANAGED_MAX_ATTEMPTS = 6_700;
export const MANAGED_FIRST_RETRY_MS = 1_000;
export const MANAGED_MAX_RETRY_MS = 300_000;
/** Rows read per look at the table, and attempts under way at once. */
export const DRAIN_BATCH = 100;
export const MAX_DELIVERIES_IN_FLIGHT = 64;
/** On shutdown, how long attempts under way may take before the store closes under them. */
export const CLOSE_GRACE_MS = 2_000;
