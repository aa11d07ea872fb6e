// Triggered by s3:ObjectCreated:* on the photos bucket: writes a thumbnail, records the photo's
// metadata in DynamoDB (whose stream feeds photo-counts) and sends it to SQS. The AWS SDK comes
// from the runtime, as on AWS Lambda; only sharp is packaged.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import sharp from 'sharp';

const THUMBNAIL_WIDTH = 200;
const thumbnailBucket = process.env.THUMBNAIL_BUCKET ?? 'photos-thumbnails';
const metadataQueue = process.env.METADATA_QUEUE ?? 'photo-metadata';
const photosTable = process.env.PHOTOS_TABLE ?? 'photos';

// Path-style addressing only when pointed at a local endpoint, whose host has no bucket subdomains.
const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });
const sqs = new SQSClient({});
const dynamodb = new DynamoDBClient({});
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
    // The uploader names the owner in the object's user metadata (x-amz-meta-owner).
    const owner = object.Metadata?.owner || 'anonymous';
    // A retried event puts the very same row (the time is the upload's, from the event), which
    // DynamoDB does not write to the stream: the counts see each upload once.
    await dynamodb.send(new PutItemCommand({
      TableName: photosTable,
      Item: {
        key: { S: key },
        owner: { S: owner },
        size: { N: String(image.length) },
        format: { S: metadata.format },
        width: { N: String(metadata.width) },
        height: { N: String(metadata.height) },
        thumbnailKey: { S: key },
        thumbnailBucket: { S: thumbnailBucket },
        uploadedAt: { S: record.eventTime ?? new Date().toISOString() },
      },
    }));
    queueUrl ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: metadataQueue }))).QueueUrl;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(summary) }));
    console.log('thumbnail written', JSON.stringify(summary));
    results.push(summary);
  }
  return results;
};
