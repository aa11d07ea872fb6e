/**
 * What every lifecycle table throws for a move it does not list (environments, function `State`
 * and `LastUpdateStatus`, event source mappings, async events, SNS subscriptions). Such a move is
 * a bug or a request AWS refuses; callers that must answer a client catch this one class.
 */
export class TransitionNotAllowed extends Error {
  constructor(
    /** Which lifecycle, e.g. `environment`, `State`, `event source mapping`. */
    readonly machine: string,
    readonly state: string,
    /** The event refused; for a table of target states (the environment), the state asked for. */
    readonly event: string,
  ) {
    super(`${machine}: transition '${event}' is not allowed from '${state}'`);
    this.name = 'TransitionNotAllowed';
  }
}
