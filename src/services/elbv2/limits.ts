import type { QueryDialect } from '../../protocols/query.js';
import { escapeXmlKeepingApostrophes } from '../../protocols/xml-writer.js';

/** ELBv2 names: 1–32 alphanumerics and hyphens, not starting or ending with a hyphen. */
export const NAME_MAX_CHARS = 32;
/** Rule priorities: 1–50000. */
export const RULE_PRIORITY_MIN = 1;
export const RULE_PRIORITY_MAX = 50_000;
/** A Lambda target group holds one function. */
export const LAMBDA_TARGETS_MAX = 1;
/** Conditions per rule: values across all conditions (AWS: 5). */
export const RULE_CONDITION_VALUES_MAX = 5;
/** ELBv2's query answers: arrays are `member` lists; text escapes `& < > "` only. */
export const ELB_DIALECT: QueryDialect = {
  xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  xml: { lists: 'member', escape: escapeXmlKeepingApostrophes },
  declaration: false,
  errorDetail: false,
  errorFields: false,
  errorCodeFromHeader: false,
};
