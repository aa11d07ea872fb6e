// Saved test events live in this browser's localStorage, per account and function: AWS keeps
// shareable ones in an EventBridge schema registry, which Lambkin does not have.
import { currentSession } from './api.js';

const key = (fn: string) => `lambkin.testEvents.${currentSession()?.accountId ?? ''}.${fn}`;

export function savedEvents(fn: string): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(key(fn)) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function saveEvent(fn: string, name: string, json: string): void {
  localStorage.setItem(key(fn), JSON.stringify({ ...savedEvents(fn), [name]: json }));
}

export function deleteEvent(fn: string, name: string): void {
  const all = savedEvents(fn);
  delete all[name];
  localStorage.setItem(key(fn), JSON.stringify(all));
}
