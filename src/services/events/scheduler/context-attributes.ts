/** What a firing's attempt knows about itself: the values of Scheduler's context attributes. */
export interface FiringContext {
  scheduleArn: string;
  /** The start of the firing's window (the time it was scheduled for), epoch ms. */
  scheduledAt: number;
  /** The same for every attempt of one firing. */
  executionId: string;
  /** 1 on the first attempt. */
  attemptNumber: number;
}

const KEYWORD = /<aws\.scheduler\.(schedule-arn|scheduled-time|execution-id|attempt-number)>/g;

/**
 * The target's Input with Scheduler's context attributes (`<aws.scheduler.scheduled-time>` …)
 * replaced, in templated and universal targets alike. The values hold no quote or backslash, so
 * a JSON Input stays JSON. Scheduler writes the time to the second (`2022-03-22T18:59:43Z`).
 */
export function withContextAttributes(input: string, context: FiringContext): string {
  if (!input.includes('<aws.scheduler.')) return input;
  const values: Record<string, string> = {
    'schedule-arn': context.scheduleArn,
    'scheduled-time': new Date(context.scheduledAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'execution-id': context.executionId,
    'attempt-number': String(context.attemptNumber),
  };
  return input.replace(KEYWORD, (_keyword, name: string) => values[name]!);
}
