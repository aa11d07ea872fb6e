import type { QueueMessage } from './model.js';

interface HiddenEntry {
  at: number;
  message: QueueMessage;
  generation: number;
}

/** A binary min-heap of hidden messages by the time they become visible. */
class VisibilityHeap {
  private readonly items: HiddenEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(entry: HiddenEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as HiddenEntry).at <= entry.at) break;
      items[i] = items[parent] as HiddenEntry;
      i = parent;
    }
    items[i] = entry;
  }

  peek(): HiddenEntry | undefined {
    return this.items[0];
  }

  pop(): HiddenEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (n > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        let smallestAt = last.at;
        if (l < n && (items[l] as HiddenEntry).at < smallestAt) {
          smallest = l;
          smallestAt = (items[l] as HiddenEntry).at;
        }
        if (r < n && (items[r] as HiddenEntry).at < smallestAt) smallest = r;
        if (smallest === i) break;
        items[i] = items[smallest] as HiddenEntry;
        i = smallest;
      }
      items[i] = last;
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Every entry, in no particular order (stale ones included). */
  entries(): readonly HiddenEntry[] {
    return this.items;
  }
}

/**
 * The in-memory index of one queue's messages (the store holds the same rows). Standard queues
 * keep a FIFO-ish list of visible messages and a heap of hidden ones; FIFO queues keep one ordered
 * list per message group, and a group with a message in flight is skipped until that message is
 * deleted or visible again (one in-flight batch per group).
 */
export class QueueIndex {
  readonly messages = new Map<string, QueueMessage>();
  private ready: Array<{ message: QueueMessage; generation: number }> = [];
  private readyHead = 0;
  private readonly hidden = new VisibilityHeap();
  private readonly groups = new Map<string, QueueMessage[]>();
  /** No message was sent before this (a lower bound, exact after each retention sweep). */
  private oldestSentAt = Number.POSITIVE_INFINITY;

  constructor(readonly fifo: boolean) {}

  get size(): number {
    return this.messages.size;
  }

  add(message: QueueMessage, now: number): void {
    this.messages.set(message.messageId, message);
    if (message.sentAt < this.oldestSentAt) this.oldestSentAt = message.sentAt;
    if (this.fifo) {
      const key = message.groupId ?? '';
      const group = this.groups.get(key);
      if (group) {
        // Messages normally arrive in sequence order; a restart reloads them in seq order too.
        group.push(message);
      } else this.groups.set(key, [message]);
      return;
    }
    this.place(message, now);
  }

  remove(message: QueueMessage): void {
    message.deleted = true;
    this.messages.delete(message.messageId);
    if (this.fifo) {
      const key = message.groupId ?? '';
      const group = this.groups.get(key);
      if (group) {
        const i = group.indexOf(message);
        if (i >= 0) group.splice(i, 1);
        if (group.length === 0) this.groups.delete(key);
      }
    }
  }

  /** Records a new visibility time for a message (after receive, change visibility, restart). */
  setVisibleAt(message: QueueMessage, visibleAt: number, now: number): void {
    message.visibleAt = visibleAt;
    message.generation++;
    if (!this.fifo) this.place(message, now);
  }

  private place(message: QueueMessage, now: number): void {
    if (message.visibleAt <= now) this.ready.push({ message, generation: message.generation });
    else this.hidden.push({ at: message.visibleAt, message, generation: message.generation });
  }

  /** Moves every hidden message whose time has come to the visible list (standard queues). */
  private promote(now: number): void {
    for (;;) {
      const top = this.hidden.peek();
      if (!top || top.at > now) return;
      this.hidden.pop();
      if (!top.message.deleted && top.generation === top.message.generation) this.ready.push({ message: top.message, generation: top.generation });
    }
  }

  /**
   * Up to `max` visible messages in the order they should be handed out; they stay where they are
   * until received. Standard queues consume their visible list here; FIFO groups are only read,
   * so a receive passes the ids it has already taken as `exclude`.
   */
  takeVisible(max: number, now: number, exclude?: ReadonlySet<string>): QueueMessage[] {
    return this.fifo ? this.takeFromGroups(max, now, exclude) : this.takeStandard(max, now);
  }

  private takeStandard(max: number, now: number): QueueMessage[] {
    this.promote(now);
    const out: QueueMessage[] = [];
    while (out.length < max && this.readyHead < this.ready.length) {
      const entry = this.ready[this.readyHead++] as { message: QueueMessage; generation: number };
      const m = entry.message;
      if (m.deleted || entry.generation !== m.generation || m.visibleAt > now) continue;
      out.push(m);
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return out;
  }

  /**
   * FIFO: messages of one group are handed out in order, and never while an earlier message of
   * the group is in flight. A batch may hold several groups; groups served rotate to the back.
   */
  private takeFromGroups(max: number, now: number, exclude?: ReadonlySet<string>): QueueMessage[] {
    const out: QueueMessage[] = [];
    const served: string[] = [];
    for (const [key, group] of this.groups) {
      if (out.length >= max) break;
      const head = group[0];
      if (!head || head.visibleAt > now) continue;
      let taken = 0;
      for (const m of group) {
        if (out.length >= max || m.visibleAt > now) break;
        // Already in the batch being built (its visibility is set once the batch is complete).
        if (exclude?.has(m.messageId)) continue;
        out.push(m);
        taken++;
      }
      if (taken > 0) served.push(key);
    }
    for (const key of served) {
      const group = this.groups.get(key);
      if (!group) continue;
      this.groups.delete(key);
      this.groups.set(key, group);
    }
    return out;
  }

  /** Time the next hidden message becomes visible, for waking long polls (standard queues). */
  nextVisibleAt(): number | undefined {
    if (this.fifo) {
      let next: number | undefined;
      for (const group of this.groups.values()) {
        const head = group[0];
        if (head && (next === undefined || head.visibleAt < next)) next = head.visibleAt;
      }
      return next;
    }
    return this.hidden.peek()?.at;
  }

  /**
   * Removes and returns the messages sent at or before `cutoff` (past their retention period). Walks
   * the queue only when some message may be that old, so frequent GetQueueAttributes stay cheap.
   */
  removeSentBefore(cutoff: number): QueueMessage[] {
    if (this.oldestSentAt > cutoff) return [];
    const gone: QueueMessage[] = [];
    let oldest = Number.POSITIVE_INFINITY;
    for (const m of this.messages.values()) {
      if (m.sentAt <= cutoff) gone.push(m);
      else if (m.sentAt < oldest) oldest = m.sentAt;
    }
    for (const m of gone) this.remove(m);
    this.oldestSentAt = oldest;
    return gone;
  }

  clear(): void {
    this.oldestSentAt = Number.POSITIVE_INFINITY;
    for (const m of this.messages.values()) m.deleted = true;
    this.messages.clear();
    this.ready = [];
    this.readyHead = 0;
    this.hidden.clear();
    this.groups.clear();
  }

  counts(now: number): { visible: number; notVisible: number; delayed: number } {
    if (!this.fifo) {
      // Every hidden message of a standard queue has a live entry in the heap (its generation):
      // counting those alone keeps GetQueueAttributes cheap when a long backlog waits visible.
      let notVisible = 0;
      let delayed = 0;
      for (const { message: m, generation } of this.hidden.entries()) {
        if (m.deleted || generation !== m.generation || m.visibleAt <= now) continue;
        if (m.receiveCount > 0) notVisible++;
        else delayed++;
      }
      return { visible: this.messages.size - notVisible - delayed, notVisible, delayed };
    }
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiveCount > 0) notVisible++;
      else delayed++;
    }
    return { visible, notVisible, delayed };
  }
}
