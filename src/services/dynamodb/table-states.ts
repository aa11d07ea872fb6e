import { TransitionNotAllowed } from '../../lifecycle.js';

/**
 * A table's `TableStatus`. A transitional status ends by itself after the provisioning delay
 * (`settle`); DELETING ends with the table gone. Only an ACTIVE table may be updated or deleted
 * (AWS answers ResourceInUseException otherwise).
 */
export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'DELETED';
export type TableEvent = 'settle' | 'update' | 'delete';

const TABLE_TRANSITIONS: Record<TableStatus, Partial<Record<TableEvent, TableStatus>>> = {
  CREATING: { settle: 'ACTIVE' },
  ACTIVE: { update: 'UPDATING', delete: 'DELETING' },
  UPDATING: { settle: 'ACTIVE' },
  DELETING: { settle: 'DELETED' },
  DELETED: {},
};

export function tableTransition(from: TableStatus, event: TableEvent): TableStatus {
  const to = TABLE_TRANSITIONS[from][event];
  if (!to) throw new TransitionNotAllowed('table', from, event);
  return to;
}

export function canTable(from: TableStatus, event: TableEvent): boolean {
  return TABLE_TRANSITIONS[from][event] !== undefined;
}

/** Items can be read and written in these states (a CREATING or DELETING table is "not found"). */
export function acceptsItems(status: TableStatus): boolean {
  return status === 'ACTIVE' || status === 'UPDATING';
}
