/**
 * Why a pattern is rejected, in event-ruler's words. The events service prefixes it with
 * "Event pattern is not valid. Reason: " (InvalidEventPatternException); other users of the
 * matcher (ESM filter criteria, SNS filter policies) word their own envelope.
 */
export class PatternError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PatternError';
  }
}
