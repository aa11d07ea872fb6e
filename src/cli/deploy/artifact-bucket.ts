import type { S3Client } from '@aws-sdk/client-s3';
import type { Upload } from './package-artifacts.js';

/** The bucket `lambkin deploy` keeps artifacts in, one per region (like SAM's managed bucket). */
export function artifactBucketName(region: string): string {
  return `lambkin-deploy-artifacts-${region}`;
}

/** Creates the artifact bucket when it is missing and returns an uploader into it. */
export async function artifactUploader(s3: S3Client, region: string): Promise<Upload> {
  const { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const bucket = artifactBucketName(region);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  return async (key, bytes) => {
    // Keys are content hashes: an object already there holds these very bytes.
    const exists = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );
    if (!exists) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    return { bucket, key };
  };
}
