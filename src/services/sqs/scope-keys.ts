import type { QueueScope } from './model.js';

/** An account and region as one string (`<account>/<region>`): the unit a cluster node serves. */
export const scopeKey = (scope: QueueScope): string => `${scope.accountId}/${scope.region}`;

export const scopeOfKey = (key: string): QueueScope => {
  const at = key.indexOf('/');
  return { accountId: key.slice(0, at), region: key.slice(at + 1) };
};
