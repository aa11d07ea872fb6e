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

/** Envelope fields a bus target re-publishes with (the event goes on to the other bus as it is). */
export interface StoredEnvelope {
  source: string;
  detailType: string;
  resources: string[];
  time: string;
  /** The payload is the whole event, to be re-published (its detail) on the target bus. */
  forwardsEvent?: boolean;
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
    const envelope = JSON.stringify(forwardsEvent ? { ...base, forwardsEvent } : base);
    return [{ id: randomUUID(), account_id: scope.accountId, region: scope.region, rule_arn: arn, target: JSON.stringify(target), payload, envelope, attempts: 0, created_at: now, last_error: null }];
  });
}

/**
 * Matches events against the bus's enabled rules and stores one delivery per matched target, in
 * one transaction: once this resolves the events are safe to acknowledge.
 */
export async function storeMatchedEvents(db: Kysely<Database>, scope: Scope, busName: string, events: EventEnvelope[], now: number): Promise<number> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const rules = await patternRules(trx, scope, busName);
    const targetsByRule = new Map<string, Target[]>();
    let stored = 0;
    for (const rule of rules) {
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
  });
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
