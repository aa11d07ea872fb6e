import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { enqueue } from '../../../store/queue/enqueue.js';
import type { QueueTable } from '../../../store/queue/queue.js';
import type { Database, EventsDeliveriesTable } from '../../../store/schema.js';
import { ruleArn, type Scope } from '../arns.js';
import { targetPayload } from '../input-transform.js';
import type { EventEnvelope, Target } from '../model.js';
import { compileEventPattern } from '../patterns.js';
import { matchesPattern } from '../pattern/index.js';
import { patternRules, type RuleRow } from '../tables/rules.js';
import { listTargets } from '../tables/targets.js';
import { archiveEvents } from '../archives/archive-events.js';
import { resolveHttpParameters, type ResolvedHttpParameters } from '../api-destinations/http-parameters.js';

/** Envelope fields a bus target re-publishes with (the event goes on to the other bus as it is). */
export interface StoredEnvelope {
  source: string;
  detailType: string;
  resources: string[];
  time: string;
  /** The payload is the whole event, to be re-published (its detail) on the target bus. */
  forwardsEvent?: boolean;
  /** API destination targets: the target's HttpParameters with the event's values in place. */
  http?: ResolvedHttpParameters;
}

export type EventsDeliveryRow = Selectable<EventsDeliveriesTable>;

/** EventBridge's queue table (store/queue): one row per matched target, the oldest due first. */
export const EVENTS_DELIVERIES: QueueTable<EventsDeliveryRow> = { name: 'events_deliveries' satisfies keyof Database, order: ['next_attempt_at'] };

function deliveryRows(scope: Scope, rule: RuleRow, targets: Target[], event: EventEnvelope, now: number) {
  const arn = ruleArn(scope, rule.bus_name, rule.name);
  const base: StoredEnvelope = { source: event.source, detailType: event['detail-type'], resources: event.resources, time: event.time };
  return targets.flatMap((target) => {
    // A bus target re-publishes the event itself (a DLQ gets the whole event, as AWS sends it).
    const forwardsEvent = target.Arn.startsWith('arn:aws:events:') && !target.Input && !target.InputPath && !target.InputTransformer;
    const payload = targetPayload(target, event, { arn, name: rule.name }, now);
    if (payload === null) return [];
    const http = resolveHttpParameters(target, event);
    const envelope = JSON.stringify({ ...base, ...(forwardsEvent ? { forwardsEvent } : {}), ...(http ? { http } : {}) });
    return [{ id: randomUUID(), account_id: scope.accountId, region: scope.region, rule_arn: arn, target: JSON.stringify(target), payload, envelope, attempts: 0, created_at: now, last_error: null }];
  });
}

/** Which of a bus's rules see the events; all enabled pattern rules when absent (a replay names its own). */
export type RuleFilter = (ruleArn: string) => boolean;

/**
 * Matches events against the bus's enabled rules and stores one delivery per matched target, in
 * one transaction: once this resolves the events are safe to acknowledge. Events that are not
 * replays are recorded in the bus's archives in the same transaction.
 */
export async function storeMatchedEvents(db: Kysely<Database>, scope: Scope, busName: string, events: EventEnvelope[], now: number): Promise<number> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const stored = await enqueueMatched(trx, scope, busName, events, now);
    await archiveEvents(trx, scope, busName, events, now);
    return stored;
  });
}

/** The matching and storing of `storeMatchedEvents`, inside the caller's transaction. */
export async function enqueueMatched(trx: Kysely<Database>, scope: Scope, busName: string, events: EventEnvelope[], now: number, ruleFilter?: RuleFilter): Promise<number> {
  const rules = await patternRules(trx, scope, busName);
  const targetsByRule = new Map<string, Target[]>();
  let stored = 0;
  for (const rule of rules) {
    if (ruleFilter && !ruleFilter(ruleArn(scope, rule.bus_name, rule.name))) continue;
    const pattern = compileEventPattern(rule.event_pattern!);
    for (const event of events) {
      if (!matchesPattern(pattern, event)) continue;
      let targets = targetsByRule.get(rule.name);
      if (!targets) {
        targets = await listTargets(trx, scope, busName, rule.name);
        targetsByRule.set(rule.name, targets);
      }
      const rows = deliveryRows(scope, rule, targets, event, now);
      await enqueue(trx, EVENTS_DELIVERIES, rows, now);
      stored += rows.length;
    }
  }
  return stored;
}

/**
 * Records that a schedule rule fired for `tick` and stores its deliveries, atomically and only if
 * that tick has not fired yet: a tick fires exactly once, across restarts and racing nodes.
 */
export async function storeScheduleTick(db: Kysely<Database>, rule: RuleRow, tick: number, event: EventEnvelope, now: number): Promise<boolean> {
  const scope = { accountId: rule.account_id, region: rule.region };
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('events_rules')
      .set({ last_fired_tick: tick })
      .where('account_id', '=', rule.account_id)
      .where('region', '=', rule.region)
      .where('bus_name', '=', rule.bus_name)
      .where('name', '=', rule.name)
      .where((eb) => eb.or([eb('last_fired_tick', 'is', null), eb('last_fired_tick', '<', tick)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    await enqueue(trx, EVENTS_DELIVERIES, deliveryRows(scope, rule, await listTargets(trx, scope, rule.bus_name, rule.name), event, now), now);
    return true;
  });
}
