import type { QueryDialect } from '../../protocols/query.js';
import { escapeXml } from '../../protocols/xml-writer.js';

export const CFN_DIALECT: QueryDialect = {
  xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  xml: { lists: 'member', escape: escapeXml },
  declaration: false,
  errorDetail: false,
  errorFields: false,
  errorCodeFromHeader: false,
};

/** Request bodies: a TemplateBody is at most 51,200 bytes, form-encoded with its parameters. */
export const CFN_MAX_REQUEST_BYTES = 1024 * 1024;

/** Stack names: a letter, then letters, digits and hyphens, at most 128 characters. */
export const STACK_NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;
export const STACK_NAME_MAX_LENGTH = 128;
/** Change set names: the same pattern, at most 128. */
export const CHANGE_SET_NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;

/** How long the loopback session resource providers sign with lasts (re-issued before it ends). */
export const PROVIDER_SESSION_SECONDS = 12 * 3600;

/**
 * CreateStack, UpdateStack, DeleteStack and ExecuteChangeSet answer once their operation ends or
 * after this long. AWS answers at once, but the AWS CLI's `deploy` and `wait` poll only every 30
 * seconds: a local stack that settles within a second would otherwise cost each deploy 30 seconds.
 */
export const OPERATION_SETTLE_WAIT_MS = 10_000;
