import { errors, sqsError } from '../errors.js';
import * as limits from '../limits.js';
import type { Queue } from '../queues.js';
import { queueFromUrl, requiredString, stringList, type SqsCall, type SqsOperation } from './context.js';

/** The actions AddPermission grants; the others are the owner's alone, which AWS says in its refusal. */
const GRANTABLE_ACTIONS = new Set(['*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue']);
const OWNER_ONLY_ACTIONS = new Set(['AddPermission', 'RemovePermission', 'CreateQueue', 'DeleteQueue', 'ListQueues', 'SetQueueAttributes', 'TagQueue', 'UntagQueue', 'ListQueueTags']);
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;

interface PolicyStatement {
  Sid?: string;
  [key: string]: unknown;
}

interface QueuePolicyDocument {
  Version: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** The queue's policy as a document to edit; a queue without one starts from SQS's default Id. */
function policyDocument(queue: Queue): QueuePolicyDocument {
  const text = queue.attributes.Policy;
  if (text) {
    const parsed = JSON.parse(text) as { Version?: string; Id?: string; Statement?: PolicyStatement | PolicyStatement[] };
    const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    return { ...parsed, Version: parsed.Version ?? '2012-10-17', Statement: statements };
  }
  return { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
}

const one = (values: string[]): string | string[] => (values.length === 1 ? values[0]! : values);

function invalidLabel(label: string, reason: string) {
  return errors.invalidParameter('Label', label, reason);
}

/** AddPermission: a statement named by its Label letting the accounts take the actions on the queue. */
export const addPermission: SqsOperation = async (call: SqsCall) => {
  const queue = queueFromUrl(call);
  const label = requiredString(call.input, 'Label');
  const accounts = stringList(call.input, 'AWSAccountIds');
  const actions = stringList(call.input, 'Actions');
  if (accounts.length === 0) throw errors.missingParameter('AWSAccountIds');
  if (actions.length === 0) throw errors.missingParameter('Actions');
  if (!LABEL.test(label)) throw invalidLabel(label, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  if (actions.length > limits.ADD_PERMISSION_ACTIONS_MAX) throw sqsError('OverLimit', `${actions.length} Actions were found, maximum allowed is ${limits.ADD_PERMISSION_ACTIONS_MAX}.`);
  for (const action of actions) {
    if (GRANTABLE_ACTIONS.has(action)) continue;
    const reason = OWNER_ONLY_ACTIONS.has(action) ? 'Only the queue owner is allowed to invoke this action.' : 'Please refer to the appropriate WSDL for a list of valid actions.';
    throw errors.invalidParameter('ActionName', `SQS:${action}`, reason);
  }
  for (const account of accounts) if (!/^\d{12}$/.test(account)) throw errors.invalidParameter('PrincipalId', `[${account}]`, 'Unable to verify.');
  const doc = policyDocument(queue);
  if (doc.Statement.some((s) => s.Sid === label)) throw invalidLabel(label, 'Already exists.');
  doc.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: one(accounts.map((a) => `arn:aws:iam::${a}:root`)) },
    Action: one(actions.map((a) => `SQS:${a}`)),
    Resource: queue.arn,
  });
  await call.queues.setAttributes(queue, { Policy: JSON.stringify(doc) });
  return undefined;
};

/** RemovePermission: drops the statement AddPermission named `Label`; the last one takes the policy with it. */
export const removePermission: SqsOperation = async (call: SqsCall) => {
  const queue = queueFromUrl(call);
  const label = requiredString(call.input, 'Label');
  const doc = policyDocument(queue);
  const kept = doc.Statement.filter((s) => s.Sid !== label);
  if (kept.length === doc.Statement.length) throw invalidLabel(label, "can't find label on existing policy.");
  await call.queues.setAttributes(queue, { Policy: kept.length === 0 ? '' : JSON.stringify({ ...doc, Statement: kept }) });
  return undefined;
};

/** Whether an action is the queue owner's alone ("cross-account permissions don't apply to this action"). */
export function ownerOnly(operation: string): boolean {
  return OWNER_ONLY_ACTIONS.has(operation);
}
