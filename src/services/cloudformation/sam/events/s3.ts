import { InvalidResourceError } from '../errors.js';
import { isObject, ref, type CfnResource, type JsonObject } from '../template-model.js';
import { add, fail, permission, requireProperty, type EventContext } from './event-context.js';

/**
 * S3 events: a permission for s3.amazonaws.com limited to this account, and a Lambda notification
 * per event type added to the bucket, which must be declared in the same template. The bucket
 * waits for the permission (DependsOn), since S3 checks it when the notification is written.
 */
export function expandS3Event(event: EventContext): void {
  const bucketRef = requireProperty(event, 'Bucket');
  requireProperty(event, 'Events');
  const bucketId = isObject(bucketRef) ? bucketRef.Ref : undefined;
  if (isObject(bucketRef) && 'Ref' in bucketRef && typeof bucketId !== 'string') fail(event, "'Ref' value in S3 events is not a valid string.");
  const scope = event.scope;
  const bucket = typeof bucketId === 'string' ? (scope.resources[bucketId] ?? scope.input.Resources[bucketId]) : undefined;
  if (!bucket || typeof bucketId !== 'string') fail(event, 'S3 events must reference an S3 bucket in the same template.');
  const edited: CfnResource = structuredClone(bucket);

  const [permissionId, permissionResource] = permission(event, 's3.amazonaws.com', { SourceAccount: ref('AWS::AccountId') });
  if (event.inherited.Condition !== undefined) {
    // DependsOn cannot be conditional; a tag whose value Refs the permission under Fn::If can.
    const properties = (edited.Properties ??= {});
    const tags = (properties.Tags ??= []) as unknown[];
    if (!Array.isArray(tags)) throw new InvalidResourceError(bucketId, "Property 'Tags' should be a list.");
    tags.push({ Key: `sam:ConditionalDependsOn:${permissionId}`, Value: { 'Fn::If': [event.inherited.Condition, ref(permissionId), 'no dependency'] } });
  } else {
    const dependsOn = edited.DependsOn === undefined ? [] : Array.isArray(edited.DependsOn) ? edited.DependsOn : [edited.DependsOn];
    if (!dependsOn.includes(permissionId)) dependsOn.push(permissionId);
    edited.DependsOn = dependsOn;
  }
  add(event, permissionId, permissionResource);

  const properties = (edited.Properties ??= {});
  if (!isObject(properties)) throw new InvalidResourceError(bucketId, 'Properties should be a map.');
  const notifications = (properties.NotificationConfiguration ??= {}) as JsonObject;
  if (!isObject(notifications)) throw new InvalidResourceError(bucketId, "Property 'NotificationConfiguration' should be a map.");
  const lambdaConfigurations = (notifications.LambdaConfigurations ??= []) as unknown[];
  if (!Array.isArray(lambdaConfigurations)) throw new InvalidResourceError(bucketId, 'Invalid type for LambdaConfigurations. Must be a list.');
  const types = Array.isArray(event.properties.Events) ? event.properties.Events : [event.properties.Events];
  for (const type of types) {
    let mapping: unknown = { Function: event.target.arn, ...(event.properties.Filter !== undefined ? { Filter: event.properties.Filter } : {}), Event: type };
    if (event.inherited.Condition !== undefined) mapping = { 'Fn::If': [event.inherited.Condition, mapping, ref('AWS::NoValue')] };
    if (!lambdaConfigurations.some((existing) => JSON.stringify(existing) === JSON.stringify(mapping))) lambdaConfigurations.push(mapping);
  }
  scope.put(bucketId, edited);
}
