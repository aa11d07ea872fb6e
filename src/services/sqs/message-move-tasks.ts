import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { errors } from './errors.js';
import type { Queue, SqsQueues } from './queues.js';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

interface MoveTask {
  handle: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
}

/**
 * DLQ redrive (StartMessageMoveTask): moves a dead-letter queue's messages back to their source
 * queues or to a given destination, optionally rate-limited. Tasks live in memory: a restart
 * ends running tasks (messages already moved stay moved; the rest stay in the DLQ).
 */
export class MessageMoveTasks {
  private readonly tasks: MoveTask[] = [];

  constructor(
    private readonly queues: SqsQueues,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(sourceArn: string, destinationArn: string | undefined, maxPerSecond: number | undefined): string {
    const source = this.queues.byArn(sourceArn);
    if (!source) throw errors.moveSourceMissing();
    if (this.queues.deadLetterSources(source).length === 0) throw errors.notADeadLetterQueue();
    if (destinationArn !== undefined && !this.queues.byArn(destinationArn)) throw errors.moveSourceMissing();
    if (this.tasks.some((t) => t.sourceArn === sourceArn && (t.status === 'RUNNING' || t.status === 'CANCELLING'))) throw errors.moveTaskRunning();
    const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn }), 'utf8').toString('base64');
    const task: MoveTask = {
      handle, sourceArn, destinationArn, maxPerSecond, status: 'RUNNING', moved: 0,
      toMove: source.index.size, startedAt: this.clock.now(),
    };
    this.tasks.unshift(task);
    void this.run(task, source).catch((err: unknown) => {
      task.status = 'FAILED';
      task.failureReason = err instanceof Error ? err.message : String(err);
      this.logger.warn({ err, sourceArn }, 'message move task failed');
    });
    return handle;
  }

  private async run(task: MoveTask, source: Queue): Promise<void> {
    const pick = (m: { deadLetterSourceArn?: string }) => {
      const arn = task.destinationArn ?? m.deadLetterSourceArn;
      return arn ? this.queues.byArn(arn) : undefined;
    };
    while (task.status === 'RUNNING' && task.moved < task.toMove && !source.deleted) {
      const chunk = Math.min(task.maxPerSecond ?? 100, task.toMove - task.moved);
      const moved = await this.queues.moveMessages(source, pick, chunk);
      task.moved += moved;
      if (moved === 0) break;
      if (task.maxPerSecond) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 1000));
    }
    task.status = task.status === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
  }

  /** Forgets every task (after a reset: running ones stop, as their source queue is gone). */
  clear(): void {
    for (const task of this.tasks) if (task.status === 'RUNNING') task.status = 'CANCELLING';
    this.tasks.length = 0;
  }

  list(sourceArn: string, maxResults: number): Array<Record<string, unknown>> {
    if (!this.queues.byArn(sourceArn)) throw errors.moveSourceMissing();
    return this.tasks
      .filter((t) => t.sourceArn === sourceArn)
      .slice(0, maxResults)
      .map((t) => {
        const out: Record<string, unknown> = {
          Status: t.status,
          SourceArn: t.sourceArn,
          ApproximateNumberOfMessagesMoved: t.moved,
          ApproximateNumberOfMessagesToMove: t.toMove,
          StartedTimestamp: t.startedAt,
        };
        if (t.status === 'RUNNING') out.TaskHandle = t.handle;
        if (t.destinationArn) out.DestinationArn = t.destinationArn;
        if (t.maxPerSecond) out.MaxNumberOfMessagesPerSecond = t.maxPerSecond;
        if (t.failureReason) out.FailureReason = t.failureReason;
        return out;
      });
  }

  cancel(handle: string): number {
    const task = this.tasks.find((t) => t.handle === handle);
    if (!task) {
      try {
        JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
      } catch {
        throw errors.moveTaskHandleInvalid();
      }
      throw errors.moveTaskNotFound();
    }
    if (task.status !== 'RUNNING') throw errors.moveTaskNotFound();
    task.status = 'CANCELLING';
    return task.moved;
  }
}
