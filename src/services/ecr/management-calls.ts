import { writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/** Repository and image writes (CreateRepository, DeleteRepository, PutImage, BatchDeleteImage, tags, settings). */
export const ECR_MANAGEMENT_CALLS: ManagementCallSpec = {
  eventSource: 'ecr.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Put|Set|Tag|Untag|BatchDelete)/),
};
