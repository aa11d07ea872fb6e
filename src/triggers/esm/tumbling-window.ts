/** A tumbling window: `[startMs, endMs)`, aligned to multiples of its length since the epoch. */
export interface TumblingWindow {
  startMs: number;
  endMs: number;
}

/** An open window of one lane with the state the function last returned. */
export interface OpenWindow extends TumblingWindow {
  state: unknown;
  /** The state grew past 1 MB: the window ends at its next invocation. */
  terminatedEarly?: boolean;
}

export function windowOf(arrivalMs: number, windowSeconds: number): TumblingWindow {
  const size = windowSeconds * 1000;
  const startMs = Math.floor(arrivalMs / size) * size;
  return { startMs, endMs: startMs + size };
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The members a tumbling-window invocation adds next to `Records` (spec §4.7). */
export function windowMembers(window: OpenWindow, shardId: string, eventSourceArn: string, final: boolean): string {
  return (
    `"window":{"start":"${isoSeconds(window.startMs)}","end":"${isoSeconds(window.endMs)}"},"state":${JSON.stringify(window.state ?? {})},` +
    `"shardId":${JSON.stringify(shardId)},"eventSourceARN":${JSON.stringify(eventSourceArn)},` +
    `"isFinalInvokeForWindow":${final},"isWindowTerminatedEarly":${final && window.terminatedEarly === true}`
  );
}
