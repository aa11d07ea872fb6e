import { writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/**
 * Log group, stream, retention, filter and tag writes (CreateLogGroup, PutRetentionPolicy,
 * PutSubscriptionFilter …). PutLogEvents is not a management event (CloudTrail does not record it),
 * nor are reads and queries.
 */
export const LOGS_MANAGEMENT_CALLS: ManagementCallSpec = {
  eventSource: 'logs.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Put|Tag|Untag|Associate|Disassociate)/, ['PutLogEvents']),
};
