import { AwsError } from '../../contracts/aws-error.js';

/** Every error type the ECR API sends (all 400 but ServerException), `message` in the body. */
export const ECR_ERRORS = {
  RepositoryAlreadyExistsException: 400,
  RepositoryNotFoundException: 400,
  RepositoryNotEmptyException: 400,
  ImageNotFoundException: 400,
  ImageAlreadyExistsException: 400,
  ImageTagAlreadyExistsException: 400,
  ImageDigestDoesNotMatchException: 400,
  LayersNotFoundException: 400,
  ReferencedImagesNotFoundException: 400,
  InvalidParameterException: 400,
  InvalidTagParameterException: 400,
  TooManyTagsException: 400,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ServerException: 500,
} as const satisfies Record<string, number>;

export type EcrErrorCode = keyof typeof ECR_ERRORS;

export function ecrError(code: EcrErrorCode, message: string): AwsError {
  return new AwsError(code, ECR_ERRORS[code], message, { messageKey: 'message', type: null });
}

const invalid = (message: string) => ecrError('InvalidParameterException', message);

/** How ECR prints an image id in its messages: `{imageDigest:'null', imageTag:'latest'}`. */
export function imageIdText(id: { imageDigest?: string; imageTag?: string }): string {
  return `{imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'}`;
}

export const errors = {
  repositoryExists: (name: string, registry: string) =>
    ecrError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${registry}'`),
  repositoryNotFound: (name: string, registry: string) =>
    ecrError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registry}'`),
  repositoryNotEmpty: (name: string, registry: string) =>
    ecrError(
      'RepositoryNotEmptyException',
      `The repository with name '${name}' in registry with id '${registry}' cannot be deleted because it still contains images`,
    ),
  imageNotFound: (id: { imageDigest?: string; imageTag?: string }, name: string, registry: string) =>
    ecrError('ImageNotFoundException', `The image with imageId ${imageIdText(id)} does not exist within the repository with name '${name}' in the registry with id '${registry}'`),
  imageExists: (digest: string, tag: string, name: string, registry: string) =>
    ecrError('ImageAlreadyExistsException', `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${name}' in registry with id '${registry}'`),
  tagImmutable: (tag: string, name: string) =>
    ecrError('ImageTagAlreadyExistsException', `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`),
  digestMismatch: (given: string, actual: string) =>
    ecrError('ImageDigestDoesNotMatchException', `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'digest ${given} does not match the manifest digest ${actual}'`),
  layersNotFound: (digests: string[], name: string, registry: string) =>
    ecrError('LayersNotFoundException', `Layers with digests '[${digests.join(', ')}]' required for pushing image into repository with name '${name}' in the registry with id '${registry}' do not exist`),
  referencedImagesNotFound: (digests: string[], name: string) =>
    ecrError('ReferencedImagesNotFoundException', `The images referenced by the manifest list [${digests.join(', ')}] do not exist in the repository '${name}'`),
  invalidParameter: invalid,
  invalidRepositoryName: () =>
    invalid("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''"),
  invalidManifest: (detail: string) => invalid(`Invalid parameter at 'ImageManifest' failed to satisfy constraint: '${detail}'`),
  invalidArn: (arn: string) => invalid(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN ${arn}'`),
  tooManyTags: (count: number, limit: number) => ecrError('TooManyTagsException', `Tag limit exceeded. Resource can have at most ${limit} tags, request would result in ${count} tags.`),
  invalidTagParameter: (message: string) => ecrError('InvalidTagParameterException', message),
  validation: (messages: string[]) =>
    ecrError('ValidationException', `${messages.length} validation error${messages.length === 1 ? '' : 's'} detected: ${messages.join('; ')}`),
  serialization: (message: string) => ecrError('SerializationException', message),
  unknownOperation: (target: string) => ecrError('UnknownOperationException', `Unknown operation ${target}`),
};
