import { hostId } from '../../../protocols/rest-xml.js';

/** One object change as notifications describe it. */
export interface ObjectEvent {
  /** Without `s3:`, e.g. `ObjectCreated:Put`. */
  eventName: string;
  accountId: string;
  region: string;
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  versionId?: string;
  sequence: number;
  eventTimeMs: number;
  requestId: string;
  sourceIp: string;
  principalId: string;
}

/** S3 writes keys in notifications form-encoded: space → `+`, `/` kept. */
export function notificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** S3's sequencer: hex, compared after right-padding; ours is a store-wide counter. */
export function sequencer(sequence: number, timeMs: number): string {
  return (timeMs.toString(16).padStart(12, '0') + sequence.toString(16).padStart(6, '0')).toUpperCase();
}

/** The `{"Records":[…]}` document of spec §4.4. */
export function notificationRecord(event: ObjectEvent, configurationId: string): string {
  const object: Record<string, unknown> = { key: notificationKey(event.key) };
  if (event.size !== undefined) object.size = event.size;
  if (event.etag !== undefined) object.eTag = event.etag;
  if (event.versionId !== undefined && event.versionId !== 'null') object.versionId = event.versionId;
  object.sequencer = sequencer(event.sequence, event.eventTimeMs);
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: event.region,
        eventTime: new Date(event.eventTimeMs).toISOString(),
        eventName: event.eventName,
        userIdentity: { principalId: event.principalId },
        requestParameters: { sourceIPAddress: event.sourceIp },
        responseElements: { 'x-amz-request-id': requestIdOf(event.requestId), 'x-amz-id-2': hostId(event.requestId) },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: configurationId,
          bucket: { name: event.bucket, ownerIdentity: { principalId: ownerPrincipal(event.accountId) }, arn: `arn:aws:s3:::${event.bucket}` },
          object,
        },
      },
    ],
  });
}

/** The `detail` of the EventBridge event S3 sends (`Object Created` / `Object Deleted`). */
export function eventBridgeDetail(event: ObjectEvent): { detailType: string; detail: string } | null {
  const [category, kind] = event.eventName.split(':');
  const removal = category === 'ObjectRemoved' || category === 'LifecycleExpiration';
  const detailType = category === 'ObjectCreated' ? 'Object Created' : removal ? 'Object Deleted' : null;
  if (!detailType) return null;
  const object: Record<string, unknown> = { key: event.key };
  if (event.size !== undefined) object.size = event.size;
  if (event.etag !== undefined) object.etag = event.etag;
  if (event.versionId !== undefined && event.versionId !== 'null') object['version-id'] = event.versionId;
  object.sequencer = sequencer(event.sequence, event.eventTimeMs);
  const reason = {
    Put: 'PutObject', Post: 'POST Object', Copy: 'CopyObject', CompleteMultipartUpload: 'CompleteMultipartUpload',
    Delete: 'DeleteObject', DeleteMarkerCreated: 'DeleteObject',
  }[kind ?? ''] ?? kind;
  const lifecycle = category === 'LifecycleExpiration';
  const detail: Record<string, unknown> = {
    version: '0',
    bucket: { name: event.bucket },
    object,
    'request-id': requestIdOf(event.requestId),
    requester: lifecycle ? 's3.amazonaws.com' : event.accountId,
    'source-ip-address': event.sourceIp,
    reason: lifecycle ? 'Lifecycle Expiration' : reason,
  };
  if (removal) detail['deletion-type'] = kind === 'DeleteMarkerCreated' ? 'Delete Marker Created' : 'Permanently Deleted';
  return { detailType, detail: JSON.stringify(detail) };
}

/** The test message S3 sends to queues and topics when a configuration is written. */
export function testEventMessage(bucket: string, requestId: string, timeMs: number): string {
  return JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(timeMs).toISOString(), Bucket: bucket, RequestId: requestIdOf(requestId), HostId: hostId(requestId) });
}

/** S3 request ids are 16 upper-case hex characters. */
export function requestIdOf(requestId: string): string {
  return requestId.replace(/-/g, '').slice(0, 16).toUpperCase();
}

/** A stable canonical-user-like owner id per account. */
export function ownerPrincipal(accountId: string): string {
  return `A${Buffer.from(accountId).toString('hex').toUpperCase().slice(0, 13)}`;
}
