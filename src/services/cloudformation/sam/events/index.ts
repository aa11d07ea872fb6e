import { isObject, type JsonObject } from '../template-model.js';
import { fail, type EventContext } from './event-context.js';
import { expandApiEvent } from './api.js';
import { expandHttpApiEvent } from './http-api.js';
import { expandPullEvent } from './pull.js';
import { expandRuleEvent, expandScheduleV1Event, expandScheduleV2Event } from './rules.js';
import { expandS3Event } from './s3.js';
import { expandSnsEvent } from './sns.js';

export type { EventContext } from './event-context.js';

const EXPANDERS: Readonly<Record<string, (event: EventContext) => void>> = {
  S3: expandS3Event,
  SNS: expandSnsEvent,
  SQS: (event) => expandPullEvent(event, 'SQS'),
  Kinesis: (event) => expandPullEvent(event, 'Kinesis'),
  DynamoDB: (event) => expandPullEvent(event, 'DynamoDB'),
  Schedule: expandScheduleV1Event,
  ScheduleV2: expandScheduleV2Event,
  CloudWatchEvent: expandRuleEvent,
  EventBridgeRule: expandRuleEvent,
  HttpApi: expandHttpApiEvent,
  Api: expandApiEvent,
};


/**
 * Orders events as samtranslator does: by Path when there is one (so an HTTP API's `$default`
 * route comes before the others), else by event id.
 */
function orderKey([eventId, event]: [string, unknown]): string {
  if (!isObject(event)) return eventId;
  const properties = isObject(event.Properties) ? event.Properties : {};
  if (typeof properties.Path === 'string') return properties.Path;
  // An HttpApi event without Path and Method is the API's default route, and sorts as `$default`.
  if (event.Type === 'HttpApi' && !properties.Path && !properties.Method) return '$default';
  return eventId;
}

export function expandEvents(base: Omit<EventContext, 'eventId' | 'logicalId' | 'properties'>, events: JsonObject): void {
  const entries = Object.entries(events).sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  for (const [eventId, event] of entries) {
    const context: EventContext = { ...base, eventId, logicalId: `${base.functionId}${eventId}`, properties: {} };
    if (!isObject(event)) fail(context, 'Event should be a map.');
    const type = event.Type;
    const properties = event.Properties ?? {};
    if (!isObject(properties)) fail(context, 'Properties should be a map.');
    context.properties = properties;
    const expander = typeof type === 'string' ? EXPANDERS[type] : undefined;
    if (!expander) fail(context, `Event type '${String(type)}' is not supported by Lambkin's SAM transform.`);
    expander(context);
  }
}
