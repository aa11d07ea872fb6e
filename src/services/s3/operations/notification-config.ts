import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { NOTIFICATION_XML_LISTS, notificationConfigXml, parseNotificationConfig, type NotificationConfig } from '../notifications/config.js';
import { writeOutbox } from '../notifications/outbox.js';
import { testEventMessage } from '../notifications/records.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, header, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { getBucket } from '../tables/objects-table.js';

export async function getBucketNotificationConfiguration(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  return xmlResponse('NotificationConfiguration', notificationConfigXml(bucket.notification ? (JSON.parse(bucket.notification) as NotificationConfig) : null));
}

/** S3 checks every destination before it accepts a configuration, and names each failure. */
async function validateDestinations(deps: S3Deps, bucketName: string, accountId: string, config: NotificationConfig): Promise<void> {
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const target of config.targets) {
    if (target.kind === 'lambda') {
      const verdict = deps.functions
        ? await deps.functions.check(target.arn, { principalService: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${bucketName}`, sourceAccount: accountId })
        : 'missing';
      if (verdict !== 'allowed') failures.push({ arn: target.arn, reason: `Not authorized to invoke function [${target.arn}]` });
      continue;
    }
    const sink = deps.sinks.forArn(target.arn);
    // Without a running SQS/SNS the destination cannot be checked; it is accepted and its messages wait in the outbox.
    if (!sink) continue;
    const noun = target.kind === 'queue' ? 'queue' : 'topic';
    if (!(await sink.exists(target.arn))) {
      failures.push({ arn: target.arn, reason: `The destination ${noun} does not exist` });
    } else if (sink.allows && !(await sink.allows(target.arn, { principalService: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${bucketName}`, accountId }))) {
      failures.push({ arn: target.arn, reason: `Permissions on the destination ${noun} do not allow S3 to publish notifications from this bucket` });
    }
  }
  if (failures.length > 0) throw errors.notificationValidation(failures);
}

export async function putBucketNotificationConfiguration(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const doc = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES), NOTIFICATION_XML_LISTS);
  if (!doc) throw errors.malformedXml();
  const config = parseNotificationConfig(doc);
  if (header(req, 'x-amz-skip-destination-validation') !== 'true') await validateDestinations(deps, bucket.name, bucket.account_id, config);
  const empty = config.targets.length === 0 && !config.eventBridge;
  const now = deps.clock.now();
  let queued = 0;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('s3_buckets').set({ notification: empty ? null : JSON.stringify(config) }).where('name', '=', bucket.name).execute();
    const fresh = await getBucket(trx, bucket.name);
    if (!fresh) throw errors.noSuchBucket(bucket.name);
    const sentBy = { principalService: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${bucket.name}`, accountId: bucket.account_id };
    const tests = config.targets
      .filter((t) => t.kind !== 'lambda')
      .map((t) => ({ destination: { kind: 'sink' as const, arn: t.arn }, message: JSON.stringify({ body: testEventMessage(bucket.name, req.ctx.requestId, now), sentBy }) }));
    await writeOutbox(trx, fresh, tests, now);
    queued = tests.length;
  });
  if (queued > 0) deps.delivery.kick();
  return emptyResponse(200);
}
