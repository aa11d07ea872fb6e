import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { errors } from '../errors.js';
import { matchesPattern } from '../pattern/index.js';
import { compileEventPattern } from '../patterns.js';
import { ConstraintCheck } from '../validation.js';

const REQUIRED_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

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
      // AWS requires the envelope fields a real event always has.
      if (REQUIRED_FIELDS.some((field) => !(field in event))) throw errors.invalidEvent();
      return { Result: matchesPattern(pattern, event) };
    },
  };
}
