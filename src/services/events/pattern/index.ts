/** The EventBridge event-pattern matcher: pure functions, reusable by ESM filters and SNS filter policies. */
export { compilePattern } from './compile.js';
export { matchesPattern } from './match.js';
export type { Matcher, PatternNode } from './model.js';
export { PatternError } from './pattern-error.js';
