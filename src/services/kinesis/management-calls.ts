import type { ManagementCallSpec } from '../../protocols/management-calls.js';
import { writesByVerb } from '../../protocols/management-calls.js';

/** Stream, shard, consumer and tag writes; PutRecord and PutRecords are data events. */
export const KINESIS_MANAGEMENT_CALLS: ManagementCallSpec = {
  eventSource: 'kinesis.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Add|Remove|Increase|Decrease|Merge|Split|Start|Stop|Update|Register|Deregister|Enable|Disable|Put|Tag|Untag)/, ['PutRecord', 'PutRecords']),
};
