import type { Clock } from '../../clock.js';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { Queue } from './queue.js';

/** How often the queue-depth gauges are sampled, as SQS reports them: once a minute. */
const SAMPLE_INTERVAL_MS = 60_000;

/**
 * The `AWS/SQS` namespace per `QueueName`: NumberOfMessagesSent/Received/Deleted as they happen,
 * and once a minute ApproximateNumberOfMessagesVisible/NotVisible/Delayed and
 * ApproximateAgeOfOldestMessage for every queue.
 */
export class SqsQueueMetrics {
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly recorder: MetricRecorder,
    private readonly clock: Clock,
    private readonly sample: () => { queue: Queue; visible: number; notVisible: number; delayed: number; oldestSentAt: number | undefined }[],
  ) {}

  start(): void {
    const tick = () => {
      this.recordDepths();
      this.timer = this.clock.setTimeout(tick, SAMPLE_INTERVAL_MS);
    };
    this.timer = this.clock.setTimeout(tick, SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    this.timer?.cancel();
  }

  sent(queue: Queue, count: number): void {
    this.count(queue, 'NumberOfMessagesSent', count);
  }

  received(queue: Queue, count: number): void {
    this.count(queue, 'NumberOfMessagesReceived', count);
  }

  deleted(queue: Queue, count: number): void {
    this.count(queue, 'NumberOfMessagesDeleted', count);
  }

  private count(queue: Queue, metricName: string, value: number): void {
    this.recorder.record({ accountId: queue.scope.accountId, region: queue.scope.region, namespace: 'AWS/SQS', metricName, dimensions: { QueueName: queue.name }, value, unit: 'Count' });
  }

  /** Samples every queue's depth now (also what the minute timer does). */
  recordDepths(): void {
    const now = this.clock.now();
    for (const { queue, visible, notVisible, delayed, oldestSentAt } of this.sample()) {
      const base = { accountId: queue.scope.accountId, region: queue.scope.region, namespace: 'AWS/SQS', dimensions: { QueueName: queue.name }, timestampMs: now };
      this.recorder.record({ ...base, metricName: 'ApproximateNumberOfMessagesVisible', value: visible, unit: 'Count' });
      this.recorder.record({ ...base, metricName: 'ApproximateNumberOfMessagesNotVisible', value: notVisible, unit: 'Count' });
      this.recorder.record({ ...base, metricName: 'ApproximateNumberOfMessagesDelayed', value: delayed, unit: 'Count' });
      const age = oldestSentAt === undefined ? 0 : Math.max(0, Math.floor((now - oldestSentAt) / 1000));
      this.recorder.record({ ...base, metricName: 'ApproximateAgeOfOldestMessage', value: age, unit: 'Seconds' });
    }
  }
}
