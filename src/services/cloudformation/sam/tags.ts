import { InvalidResourceError } from './errors.js';
import { isObject } from './template-model.js';

const SAM_TAG_KEY = 'lambda:createdBy';
const SAM_TAG_VALUE = 'SAM';

/** A SAM `Tags` map as a CloudFormation tag list, without the SAM marker tag. */
export function tagList(tags: unknown): Array<{ Key: string; Value: unknown }> {
  if (!isObject(tags)) return [];
  return Object.entries(tags).map(([Key, value]) => ({ Key, Value: value ?? '' }));
}

/**
 * The tag list samtranslator gives generated functions and roles: `lambda:createdBy: SAM` first
 * (moving it would make CloudFormation see a change on every existing function), then the user's.
 */
export function samTagList(logicalId: string, tags: unknown): Array<{ Key: string; Value: unknown }> {
  if (isObject(tags) && SAM_TAG_KEY in tags) {
    throw new InvalidResourceError(logicalId, `${SAM_TAG_KEY} is a reserved Tag key name and cannot be set on your resource. Please change the tag key in the input.`);
  }
  return [{ Key: SAM_TAG_KEY, Value: SAM_TAG_VALUE }, ...tagList(tags)];
}
