import type { Selectable } from 'kysely';
import type { Clock } from '../../clock.js';
import type { SqsQueuesTable } from '../../store/schema.js';
import { errors } from './errors.js';
import * as limits from './limits.js';
import type { LongPolls } from './long-poll.js';
import type { QueueScope } from './model.js';
import { queueArn } from './queue-arns.js';
import { defaultAttributes, parseRedriveAllowPolicy, parseRedrivePolicy, redriveAllowed, type RedrivePolicy } from './queue-attributes.js';
import { QueueIndex } from './queue-state.js';
import type { Queue } from './queue.js';
import type { WriteLog } from './write-log.js';

/** The queues of this process by ARN: create, find, list, change and delete them, written through to the store. */
export class QueueRegistry {
  private readonly byArnMap = new Map<string, Queue>();

  constructor(
    private readonly clock: Clock,
    private readonly writes: WriteLog,
    private readonly longPolls: LongPolls,
  ) {}

  /** Puts back a queue read from the store at load. */
  restore(row: Selectable<SqsQueuesTable>): Queue {
    const attributes = JSON.parse(row.attributes) as Record<string, string>;
    const queue = this.newQueue({ accountId: row.account_id, region: row.region }, row.name, attributes, JSON.parse(row.tags) as Record<string, string>, Number(row.created_at));
    queue.modifiedAt = Number(row.modified_at);
    this.byArnMap.set(queue.arn, queue);
    return queue;
  }

  all(): IterableIterator<Queue> {
    return this.byArnMap.values();
  }

  private newQueue(scope: QueueScope, name: string, attributes: Record<string, string>, tags: Record<string, string>, createdAt: number): Queue {
    const fifo = name.endsWith('.fifo');
    return {
      arn: queueArn(scope, name),
      scope,
      name,
      fifo,
      attributes,
      tags,
      createdAt,
      modifiedAt: createdAt,
      index: new QueueIndex(fifo),
      dedup: new Map(),
      dedupSweepAbove: limits.FIFO_DEDUP_SWEEP_MIN_ENTRIES,
      waiters: [],
      lastPurgeAt: 0,
      deleted: false,
    };
  }

  byArn(arn: string): Queue | undefined {
    return this.byArnMap.get(arn);
  }

  exists(arn: string): boolean {
    return this.byArnMap.has(arn);
  }

  find(scope: QueueScope, name: string): Queue | undefined {
    return this.byArnMap.get(queueArn(scope, name));
  }

  list(scope: QueueScope, prefix = ''): Queue[] {
    const out: Queue[] = [];
    for (const q of this.byArnMap.values()) {
      if (q.scope.accountId === scope.accountId && q.scope.region === scope.region && q.name.startsWith(prefix)) out.push(q);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates the queue, or returns the existing one when every given attribute matches it. */
  async create(scope: QueueScope, name: string, attributes: Record<string, string>, tags: Record<string, string>): Promise<Queue> {
    const fifo = name.endsWith('.fifo');
    const existing = this.find(scope, name);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if ((existing.attributes[key] ?? defaultAttributes(fifo)[key] ?? '') !== value) throw errors.queueNameExists(key);
      }
      return existing;
    }
    const merged = { ...defaultAttributes(fifo), ...attributes };
    this.normalizeAttributes(scope, queueArn(scope, name), merged, fifo);
    const queue = this.newQueue(scope, name, merged, tags, this.clock.now());
    this.byArnMap.set(queue.arn, queue);
    await this.writes.submit(scope, (trx) =>
      trx
        .insertInto('sqs_queues')
        .values({
          arn: queue.arn, account_id: scope.accountId, region: scope.region, name,
          attributes: JSON.stringify(queue.attributes), tags: JSON.stringify(tags), created_at: queue.createdAt, modified_at: queue.modifiedAt,
        })
        .execute(),
    );
    return queue;
  }

  private normalizeAttributes(scope: QueueScope, arn: string, attributes: Record<string, string>, fifo: boolean): void {
    if (attributes.RedrivePolicy !== undefined) {
      const policy = parseRedrivePolicy(attributes.RedrivePolicy, fifo, (target) => this.byArn(target));
      if (policy) {
        const dlq = this.byArn(policy.deadLetterTargetArn);
        const allow = dlq?.attributes.RedriveAllowPolicy ? parseRedriveAllowPolicy(dlq.attributes.RedriveAllowPolicy) : null;
        if (!redriveAllowed(allow, arn)) {
          throw errors.redrivePolicy(attributes.RedrivePolicy, 'Queue ' + arn + ' is not allowed to use ' + policy.deadLetterTargetArn + ' as its dead-letter queue.');
        }
        attributes.RedrivePolicy = JSON.stringify(policy);
      } else delete attributes.RedrivePolicy;
    }
    if (attributes.RedriveAllowPolicy !== undefined) {
      const allow = parseRedriveAllowPolicy(attributes.RedriveAllowPolicy);
      if (allow) attributes.RedriveAllowPolicy = JSON.stringify(allow);
      else delete attributes.RedriveAllowPolicy;
    }
    // An empty Policy removes the queue's policy (CloudFormation does this when a QueuePolicy goes).
    if (attributes.Policy === '') delete attributes.Policy;
    void scope;
  }

  async setAttributes(queue: Queue, attributes: Record<string, string>): Promise<void> {
    const merged = { ...queue.attributes, ...attributes };
    this.normalizeAttributes(queue.scope, queue.arn, merged, queue.fifo);
    queue.attributes = merged;
    queue.modifiedAt = this.clock.now();
    await this.persistQueue(queue);
    this.longPolls.wakeAll(queue);
  }

  async setTags(queue: Queue, tags: Record<string, string>): Promise<void> {
    queue.tags = tags;
    await this.persistQueue(queue);
  }

  private persistQueue(queue: Queue): Promise<void> {
    const attributes = JSON.stringify(queue.attributes);
    const tags = JSON.stringify(queue.tags);
    const modifiedAt = queue.modifiedAt;
    return this.writes.submit(queue.scope, (trx) =>
      trx.updateTable('sqs_queues').set({ attributes, tags, modified_at: modifiedAt }).where('arn', '=', queue.arn).execute(),
    );
  }

  async delete(queue: Queue): Promise<void> {
    queue.deleted = true;
    queue.wake?.cancel();
    this.byArnMap.delete(queue.arn);
    queue.index.clear();
    this.longPolls.wakeAll(queue);
    await this.writes.submit(queue.scope, async (trx) => {
      await trx.deleteFrom('sqs_messages').where('queue_arn', '=', queue.arn).execute();
      await trx.deleteFrom('sqs_dedup').where('queue_arn', '=', queue.arn).execute();
      await trx.deleteFrom('sqs_queues').where('arn', '=', queue.arn).execute();
    });
  }

  /**
   * Drops the queue from this process only (a cluster node no longer serves it); the store keeps
   * it and its messages. Long polls on it return empty; writes already submitted still land.
   */
  forget(queue: Queue): void {
    queue.deleted = true;
    queue.wake?.cancel();
    this.byArnMap.delete(queue.arn);
    this.longPolls.wakeAll(queue);
  }

  async purge(queue: Queue): Promise<void> {
    const now = this.clock.now();
    if (queue.lastPurgeAt && now - queue.lastPurgeAt < limits.PURGE_INTERVAL_MS) throw errors.purgeInProgress(queue.name);
    queue.lastPurgeAt = now;
    queue.index.clear();
    await this.writes.submit(queue.scope, (trx) => trx.deleteFrom('sqs_messages').where('queue_arn', '=', queue.arn).execute());
  }

  redrivePolicyOf(queue: Queue): RedrivePolicy | null {
    const value = queue.attributes.RedrivePolicy;
    return value ? (JSON.parse(value) as RedrivePolicy) : null;
  }

  /** Queues whose RedrivePolicy names `dlq` as dead-letter target. */
  deadLetterSources(dlq: Queue): Queue[] {
    return this.list(dlq.scope).filter((q) => this.redrivePolicyOf(q)?.deadLetterTargetArn === dlq.arn);
  }
}
