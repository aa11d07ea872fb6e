/** ECR limits and defaults (API model `ecr/2015-09-21`, the ECR quotas page). */
export const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';
export const ECR_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** A manifest pushed through the registry API or PutImage: ECR refuses those over 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** An authorization token is valid for 12 hours. */
export const AUTH_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
export const MIN_REPOSITORY_NAME_CHARS = 2;
export const MAX_REPOSITORY_NAME_CHARS = 256;
export const MAX_TAGS_PER_REPOSITORY = 50;
export const MAX_IMAGE_TAG_CHARS = 300;
export const MAX_BATCH_IMAGE_IDS = 100;
export const DEFAULT_DESCRIBE_REPOSITORIES_RESULTS = 100;
export const MAX_DESCRIBE_REPOSITORIES_RESULTS = 1000;
export const DEFAULT_LIST_IMAGES_RESULTS = 100;
export const MAX_LIST_IMAGES_RESULTS = 1000;
/** A region clients did not name (path-style registry access with a key pair rather than a token). */
export const DEFAULT_REGION = 'us-east-1';
/**
 * A blob upload not finished after this long is abandoned and its bytes deleted (the reference
 * registry purges uploads a week old; ECR's upload ids expire sooner).
 */
export const UPLOAD_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
