import { randomUUID } from 'node:crypto';
import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { busArn, busNameOf, parseBusArn, type Scope } from '../arns.js';
import { busPolicyAllows, PUT_EVENTS_ACTION } from '../bus-policy.js';
import { storeMatchedEvents } from '../delivery/outbox.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_PUT_EVENTS_BYTES, MAX_PUT_EVENTS_ENTRIES } from '../limits.js';
import { eventTime, type EventEnvelope } from '../model.js';
import { findBus } from '../tables/buses.js';
import { ConstraintCheck } from '../validation.js';

export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  Time?: unknown;
  EventBusName?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** AWS's entry size: 14 bytes for Time, plus Source, DetailType, Detail and each resource in UTF-8. */
export function entrySize(entry: PutEventsEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  for (const field of [entry.Source, entry.DetailType, entry.Detail]) if (typeof field === 'string') size += Buffer.byteLength(field);
  if (Array.isArray(entry.Resources)) for (const r of entry.Resources) if (typeof r === 'string') size += Buffer.byteLength(r);
  return size;
}

function invalidArgument(field: string): EntryResult {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
}

function entryTimeMs(value: unknown, now: number): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return now;
}

/** Who sends the events, for a bus in another account (its resource policy is checked). */
export interface EventsCaller {
  accountId: string;
  arn: string;
}

/**
 * Validates entries, assigns event ids and stores each event's matched deliveries. Events for a
 * bus that does not exist are accepted and dropped, as AWS does. An entry naming another
 * account's bus by ARN goes there only when that bus's policy lets `caller` put events (checked
 * when a caller is given: the API's callers, not Lambkin's own deliveries); otherwise the entry
 * fails with `AccessDeniedException`. The event's `account` stays the sender's, as on AWS.
 */
export async function publishEvents(deps: EventsDeps, scope: Scope, entries: PutEventsEntry[], caller?: EventsCaller): Promise<EntryResult[]> {
  const now = deps.clock.now();
  const results: EntryResult[] = [];
  const byBus = new Map<string, { target: Scope; busName: string; events: EventEnvelope[]; indexes: number[] }>();
  for (const entry of entries) {
    if (typeof entry.Source !== 'string' || entry.Source === '') results.push(invalidArgument('Source'));
    else if (typeof entry.DetailType !== 'string' || entry.DetailType === '') results.push(invalidArgument('DetailType'));
    else if (typeof entry.Detail !== 'string' || entry.Detail === '') results.push(invalidArgument('Detail'));
    else {
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        detail = undefined;
      }
      if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
        results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
        continue;
      }
      const arn = typeof entry.EventBusName === 'string' ? parseBusArn(entry.EventBusName) : null;
      const target: Scope = arn ? { accountId: arn.accountId, region: arn.region } : scope;
      const busName = busNameOf(entry.EventBusName);
      const id = randomUUID();
      const event: EventEnvelope = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: scope.accountId,
        time: eventTime(entryTimeMs(entry.Time, now)),
        region: target.region,
        resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
        detail,
      };
      const key = `${target.accountId}\n${target.region}\n${busName}`;
      const group = byBus.get(key) ?? { target, busName, events: [], indexes: [] };
      group.events.push(event);
      group.indexes.push(results.length);
      byBus.set(key, group);
      results.push({ EventId: id });
    }
  }
  let stored = 0;
  for (const { target, busName, events, indexes } of byBus.values()) {
    const bus = await findBus(deps.db, target, busName, now);
    if (caller && target.accountId !== caller.accountId && !busPolicyAllows(bus?.policy ?? null, caller, PUT_EVENTS_ACTION, busArn(target, busName))) {
      for (const i of indexes) results[i] = { ErrorCode: 'AccessDeniedException', ErrorMessage: notAuthorized(caller, busArn(target, busName)) };
      continue;
    }
    if (!bus) continue;
    stored += await storeMatchedEvents(deps.db, target, busName, events, now);
  }
  if (stored > 0) deps.onDeliveriesStored?.();
  return results;
}

function notAuthorized(caller: EventsCaller, resource: string): string {
  return `User: ${caller.arn} is not authorized to perform: ${PUT_EVENTS_ACTION} on resource: ${resource} because no resource-based policy allows the ${PUT_EVENTS_ACTION} action`;
}

export function putEventsOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  return {
    async PutEvents(input, ctx) {
      const entries = Array.isArray(input.Entries) ? (input.Entries as PutEventsEntry[]) : [];
      const check = new ConstraintCheck().required(input.Entries, 'entries');
      check.listLength(input.Entries, 'entries', 1, MAX_PUT_EVENTS_ENTRIES);
      check.throwIfAny();
      if (entries.reduce((sum, e) => sum + entrySize(e), 0) > MAX_PUT_EVENTS_BYTES) throw errors.entriesTooLarge();
      const caller = ctx.principal ? { accountId: ctx.principal.accountId, arn: ctx.principal.arn } : { accountId: ctx.accountId, arn: `arn:aws:iam::${ctx.accountId}:root` };
      const results = await publishEvents(deps, { accountId: ctx.accountId, region: ctx.region }, entries, caller);
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },
  };
}
