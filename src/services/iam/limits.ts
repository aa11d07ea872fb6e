import type { QueryDialect } from '../../protocols/query.js';
import { escapeXml } from '../../protocols/xml-writer.js';

export const IAM_DIALECT: QueryDialect = {
  xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
  xml: { lists: 'member', escape: escapeXml },
  declaration: false,
  errorDetail: false,
  errorFields: false,
  errorCodeFromHeader: false,
};

export const STS_DIALECT: QueryDialect = { ...IAM_DIALECT, xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/' };

/** IAM request bodies are small: policy documents are at most 10,240 characters (managed) or 131,072 (all inline of a role). */
export const IAM_MAX_REQUEST_BYTES = 1024 * 1024;

/** CreateRole `MaxSessionDuration`: 1 to 12 hours, 1 hour by default. */
export const ROLE_SESSION_SECONDS_DEFAULT = 3600;
export const ROLE_SESSION_SECONDS_MAX = 43_200;
/** AssumeRole `DurationSeconds` floor, and GetSessionToken's range (root: at most 1 hour). */
export const SESSION_SECONDS_MIN = 900;
export const SESSION_TOKEN_SECONDS_DEFAULT = 43_200;
export const SESSION_TOKEN_SECONDS_MAX = 129_600;
export const ROOT_SESSION_TOKEN_SECONDS_MAX = 3600;
/** A role session that assumes another role (role chaining) gets at most 1 hour. */
export const CHAINED_SESSION_SECONDS_MAX = 3600;

/** Lambda environments' credentials: 12 hours, longer than an environment is kept (see engine/limits). */
export const FUNCTION_SESSION_SECONDS = 43_200;

/** ListRoles, ListPolicies, … `MaxItems` default. */
export const LIST_MAX_ITEMS_DEFAULT = 100;
/** Managed policies keep at most five versions. */
export const POLICY_VERSIONS_MAX = 5;
/** Access keys per user. */
export const ACCESS_KEYS_PER_USER_MAX = 2;
/** Managed policies attached to one role or user. */
export const ATTACHED_POLICIES_MAX = 20;

/** IAM names: roles, users, policies (`[\w+=,.@-]+`). */
export const NAME_PATTERN = /^[\w+=,.@-]+$/;
