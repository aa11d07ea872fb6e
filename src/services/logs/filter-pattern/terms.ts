import { invalidPattern } from './pattern-invalid.js';

interface Term {
  text: string;
  /** Quoted terms match anywhere; bare terms match whole words. */
  quoted: boolean;
}

/**
 * Term patterns: every bare or quoted term must appear, `?term`s are alternatives (one must
 * appear), `-term`s must not. Matching is case-sensitive, as AWS's.
 */
export function compileTerms(pattern: string): (message: string) => boolean {
  const required: Term[] = [];
  const optional: Term[] = [];
  const excluded: Term[] = [];
  const re = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))/y;
  const rest = pattern.trim();
  re.lastIndex = 0;
  while (re.lastIndex < rest.length) {
    const m = re.exec(rest);
    if (!m) throw invalidPattern();
    const term: Term = m[2] !== undefined ? { text: m[2].replace(/\\(.)/g, '$1'), quoted: true } : { text: m[3]!, quoted: false };
    if (term.text === '') continue;
    (m[1] === '?' ? optional : m[1] === '-' ? excluded : required).push(term);
  }
  const tests = (t: Term) => (t.quoted ? (msg: string) => msg.includes(t.text) : wordTest(t.text));
  const req = required.map(tests);
  const opt = optional.map(tests);
  const exc = excluded.map(tests);
  return (message) => req.every((f) => f(message)) && (opt.length === 0 || opt.some((f) => f(message))) && !exc.some((f) => f(message));
}

/** A bare term matches where it is not part of a longer word of letters, digits and underscores. */
function wordTest(text: string): (message: string) => boolean {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`);
  return (message) => message.includes(text) && re.test(message);
}
