import type { JsonRpcHandler } from '../../../protocols/json-rpc-router.js';
import { errors } from '../errors.js';
import { matchesPattern } from '../pattern/index.js';
import { compileEventPattern } from '../patterns.js';
import { ConstraintCheck } from '../validation.js';

/** TestEventPattern: the same matcher rules use, on a caller-supplied event. */
export function testEventPatternOperations(): Record<string, JsonRpcHandler> {
  return {
    async TestEventPattern(input) {
      new ConstraintCheck().required(input.EventPattern, 'eventPattern').required(input.Event, 'event').throwIfAny();
      const pattern = compileEventPattern(String(input.EventPattern));
      let event: unknown;
      try {
        event = JSON.parse(String(input.Event));
      } catch {
        throw errors.invalidEvent();
      }
      if (event === null || typeof event !== 'object' || Array.isArray(event)) throw errors.invalidEvent();
      return { Result: matchesPattern(pattern, event) };
    },
  };
}
