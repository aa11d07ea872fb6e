import { writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/** Parameter writes (PutParameter, DeleteParameter(s), labels, tags); a parameter's value is never shown. */
export const SSM_MANAGEMENT_CALLS: ManagementCallSpec = {
  eventSource: 'ssm.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Put|Delete|AddTags|RemoveTags|Label|Unlabel)/),
  hiddenMembers: ['Value'],
};
