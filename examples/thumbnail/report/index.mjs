// Runs hourly from an EventBridge cron() rule and reports how many photos and thumbnails exist.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });

async function countObjects(bucket) {
  let count = 0;
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

export const handler = async (event) => {
  const report = {
    time: event.time ?? new Date().toISOString(),
    photos: await countObjects(process.env.PHOTOS_BUCKET ?? 'photos'),
    thumbnails: await countObjects(process.env.THUMBNAIL_BUCKET ?? 'photos-thumbnails'),
  };
  console.log('photo report', JSON.stringify(report));
  return report;
};
