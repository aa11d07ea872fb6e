import type { QueryParams } from '../../protocols/query.js';
import { snsErrors } from './errors.js';
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_TOPIC } from './limits.js';

/** `Tags.member.N.Key` / `.Value`, validated as AWS does. */
export function readTags(params: QueryParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const member of params.list('Tags')) {
    const key = member.get('Key');
    const value = member.get('Value');
    if (key === undefined) throw snsErrors.validationNull('tags.member.key');
    if (value === undefined) throw snsErrors.validationNull('tags.member.value');
    if (key in tags) throw snsErrors.duplicatedKeys();
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH) throw snsErrors.invalidParameter(`Tags Reason: Tag key must be between 1 and ${MAX_TAG_KEY_LENGTH} characters`);
    if (value.length > MAX_TAG_VALUE_LENGTH) throw snsErrors.invalidParameter(`Tags Reason: Tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters`);
    tags[key] = value;
  }
  if (Object.keys(tags).length > MAX_TAGS_PER_TOPIC) throw snsErrors.tagLimitExceeded();
  return tags;
}
