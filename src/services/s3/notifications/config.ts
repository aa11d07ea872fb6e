import { randomBytes } from 'node:crypto';
import { xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';

/** One destination of a bucket's notification configuration, normalised. */
export interface NotificationTarget {
  kind: 'lambda' | 'queue' | 'topic';
  id: string;
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

export interface NotificationConfig {
  targets: NotificationTarget[];
  eventBridge: boolean;
}

/** Event types S3 accepts in a configuration (the `s3:` names). */
const SUPPORTED_EVENTS = new Set([
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*', 's3:Replication:OperationFailedReplication', 's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition', 's3:IntelligentTiering', 's3:ObjectTagging:*', 's3:ObjectTagging:Put', 's3:ObjectTagging:Delete', 's3:ObjectAcl:Put',
]);

const SECTIONS: Array<{ element: string; arnElement: string; kind: NotificationTarget['kind'] }> = [
  { element: 'QueueConfiguration', arnElement: 'Queue', kind: 'queue' },
  { element: 'TopicConfiguration', arnElement: 'Topic', kind: 'topic' },
  { element: 'CloudFunctionConfiguration', arnElement: 'CloudFunction', kind: 'lambda' },
];

export const NOTIFICATION_XML_LISTS = ['QueueConfiguration', 'TopicConfiguration', 'CloudFunctionConfiguration', 'Event', 'FilterRule'];

/** Reads a `NotificationConfiguration` document; throws S3's InvalidArgument for bad events, filters and overlaps. */
export function parseNotificationConfig(doc: Record<string, unknown>): NotificationConfig {
  const root = doc.NotificationConfiguration;
  if (root === undefined) throw errors.malformedXml();
  const body = (typeof root === 'object' && root !== null ? root : {}) as Record<string, unknown>;
  const targets: NotificationTarget[] = [];
  for (const section of SECTIONS) {
    for (const entry of (body[section.element] as Array<Record<string, unknown>> | undefined) ?? []) {
      const arn = xmlText(entry[section.arnElement]);
      const events = ((entry.Event as unknown[] | undefined) ?? []).map((e) => xmlText(e) ?? '');
      if (!arn || events.length === 0) throw errors.malformedXml();
      for (const event of events) if (!SUPPORTED_EVENTS.has(event)) throw errors.unsupportedEvent(event);
      const target: NotificationTarget = { kind: section.kind, id: xmlText(entry.Id) || generatedId(), arn, events };
      readFilter(entry.Filter, target);
      targets.push(target);
    }
  }
  checkOverlaps(targets);
  return { targets, eventBridge: body.EventBridgeConfiguration !== undefined };
}

function generatedId(): string {
  return randomBytes(36).toString('base64').replace(/[+/=]/g, '').slice(0, 48);
}

function readFilter(filter: unknown, target: NotificationTarget): void {
  if (filter === undefined || typeof filter !== 'object' || filter === null) return;
  const s3Key = (filter as Record<string, unknown>).S3Key;
  if (typeof s3Key !== 'object' || s3Key === null) return;
  for (const rule of ((s3Key as Record<string, unknown>).FilterRule as Array<Record<string, unknown>> | undefined) ?? []) {
    const name = (xmlText(rule.Name) ?? '').toLowerCase();
    const value = xmlText(rule.Value) ?? '';
    if (name !== 'prefix' && name !== 'suffix') throw errors.invalidFilterRule();
    if (target[name] !== undefined) throw errors.duplicateFilterRule(name);
    target[name] = value;
  }
}

function eventsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const wild = (x: string) => x.endsWith(':*') ? x.slice(0, -1) : null;
  const wa = wild(a);
  const wb = wild(b);
  return (wa !== null && b.startsWith(wa)) || (wb !== null && a.startsWith(wb));
}

/** S3 rejects two configurations that could both match one event: shared event type, prefixes and suffixes that nest. */
function checkOverlaps(targets: NotificationTarget[]): void {
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i]!;
      const b = targets[j]!;
      const sharedEvent = a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)));
      if (!sharedEvent) continue;
      const pa = a.prefix ?? '';
      const pb = b.prefix ?? '';
      const sa = a.suffix ?? '';
      const sb = b.suffix ?? '';
      const prefixesNest = pa.startsWith(pb) || pb.startsWith(pa);
      const suffixesNest = sa.endsWith(sb) || sb.endsWith(sa);
      if (prefixesNest && suffixesNest) throw errors.overlappingConfigurations();
    }
  }
}

/** The configuration as GetBucketNotificationConfiguration returns it. */
export function notificationConfigXml(config: NotificationConfig | null): XmlObject {
  const out: XmlObject = {};
  for (const section of SECTIONS) {
    const entries = (config?.targets ?? []).filter((t) => t.kind === section.kind);
    if (entries.length === 0) continue;
    out[section.element] = entries.map((t) => {
      const rules: XmlObject[] = [];
      if (t.prefix !== undefined) rules.push({ Name: 'Prefix', Value: t.prefix });
      if (t.suffix !== undefined) rules.push({ Name: 'Suffix', Value: t.suffix });
      return {
        Id: t.id,
        [section.arnElement]: t.arn,
        Event: t.events,
        ...(rules.length > 0 ? { Filter: { S3Key: { FilterRule: rules } } } : {}),
      };
    });
  }
  if (config?.eventBridge) out.EventBridgeConfiguration = '';
  return out;
}

/** Whether a target wants this event (`ObjectCreated:Put`) for this key. */
export function targetMatches(target: NotificationTarget, eventName: string, key: string): boolean {
  const full = `s3:${eventName}`;
  const eventOk = target.events.some((e) => e === full || (e.endsWith(':*') && full.startsWith(e.slice(0, -1))));
  return eventOk && (target.prefix === undefined || key.startsWith(target.prefix)) && (target.suffix === undefined || key.endsWith(target.suffix));
}
