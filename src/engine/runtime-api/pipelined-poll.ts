import type { Socket } from 'node:net';

/**
 * A `next` poll waiting on a runtime's connection. A runtime that pipelines (Lambkin's own Node
 * and Python clients send each answer and the next poll in one write) has the poll queued behind
 * the answer's 202; holding that 202 until the poll is answered puts both on the wire together,
 * so the runtime is woken once per invocation instead of twice and stays asleep while the
 * caller's answer goes out. HTTP/1.1 answers in order, so nothing it could read is delayed.
 */
export interface WaitingPoll {
  /** Replies held until the poll is answered; each is sent just before it. */
  held: Array<() => void>;
}

const polls = new WeakMap<Socket, WaitingPoll>();

/** Marks `socket` as having a poll waiting until `settled` (the poll answered or abandoned) runs. */
export function pollWaiting(socket: Socket): { settled(): void } {
  const poll: WaitingPoll = { held: [] };
  polls.set(socket, poll);
  return {
    settled() {
      if (polls.get(socket) === poll) polls.delete(socket);
      for (const reply of poll.held.splice(0)) reply();
    },
  };
}

/** Sends `reply` now, or holds it for the poll waiting on the same connection. */
export function replyBeforePoll(socket: Socket, reply: () => void): void {
  const poll = polls.get(socket);
  if (poll) poll.held.push(reply);
  else reply();
}
