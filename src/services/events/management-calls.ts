import type { ManagementCallSpec } from '../../protocols/management-calls.js';
import { writesByVerb } from '../../protocols/management-calls.js';

/** Bus, rule, target, archive, replay, connection and API destination writes; PutEvents is a data event. */
export const EVENTS_MANAGEMENT_CALLS: ManagementCallSpec = {
  eventSource: 'events.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Put|Remove|Update|Enable|Disable|Tag|Untag|Start|Cancel|Activate|Deactivate|Deauthorize)/, ['PutEvents', 'PutPartnerEvents']),
};
