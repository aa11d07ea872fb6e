import { errors } from './errors.js';
import { compilePattern, PatternError, type PatternNode } from './pattern/index.js';

const compiled = new Map<string, PatternNode>();
const MAX_CACHED_PATTERNS = 10_000;

/** A rule's pattern, compiled once per distinct text; InvalidEventPatternException when AWS would refuse it. */
export function compileEventPattern(text: string): PatternNode {
  const hit = compiled.get(text);
  if (hit) return hit;
  let node: PatternNode;
  try {
    node = compilePattern(text);
  } catch (err) {
    if (err instanceof PatternError) throw errors.invalidEventPattern(err.reason);
    throw err;
  }
  if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
  compiled.set(text, node);
  return node;
}
