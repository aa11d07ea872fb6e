// Triggered by s3:ObjectCreated:* on the photos bucket. The AWS SDK comes from the runtime, as on
// AWS Lambda; only sharp is packaged.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import sharp from 'sharp';

const THUMBNAIL_WIDTH = 200;
const thumbnailBucket = process.env.THUMBNAIL_BUCKET ?? 'photos-thumbnails';
const metadataQueue = process.env.METADATA_QUEUE ?? 'photo-metadata';

// Path-style addressing only when pointed at a local endpoint, whose host has no bucket subdomains.
const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });
const sqs = new SQSClient({});
let queueUrl;

export const handler = async (event) => {
  const results = [];
  for (const record of event.Records ?? []) {
    const bucket = record.s3.bucket.name;
    // Keys arrive URL-encoded with '+' for spaces, as S3 sends them.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const image = Buffer.from(await object.Body.transformToByteArray());
    const metadata = await sharp(image).metadata();
    const thumbnail = await sharp(image).resize({ width: THUMBNAIL_WIDTH }).toBuffer();
    await s3.send(
      new PutObjectCommand({ Bucket: thumbnailBucket, Key: key, Body: thumbnail, ContentType: object.ContentType ?? `image/${metadata.format}` }),
    );
    const summary = { key, size: image.length, format: metadata.format, width: metadata.width, height: metadata.height };
    queueUrl ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: metadataQueue }))).QueueUrl;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(summary) }));
    console.log('thumbnail written', JSON.stringify(summary));
    results.push(summary);
  }
  return results;
};
