import { randomBytes } from 'node:crypto';
import type { AwsClients } from './clients.js';

/** What a resource provider knows of the stack it works for. */
export interface ProviderContext {
  clients: AwsClients;
  accountId: string;
  region: string;
  partition: string;
  stackName: string;
  stackId: string;
  logicalId: string;
  /** The stack's tags, which CloudFormation adds to every resource that takes tags. */
  stackTags: { Key: string; Value: string }[];
  /** The capabilities the stack was given (a nested stack is created with its parent's). */
  capabilities: string[];
}

export interface CreatedResource {
  physicalId: string;
  /** What `Ref` returns, when it is not the physical id. */
  ref?: string;
  /** What `Fn::GetAtt` reads. */
  attributes?: Record<string, unknown>;
}

/** One resource type: how CloudFormation creates, updates and deletes it through Lambkin's APIs. */
export interface ResourceProvider {
  /** Properties whose change replaces the resource (a new physical resource, the old deleted at cleanup). `*`: any change. */
  replaceOn: string[];
  /** The physical id, decided before creating (a generated name), so an interrupted create leaves nothing untracked. */
  plannedId?(ctx: ProviderContext, props: Record<string, unknown>): string;
  create(ctx: ProviderContext, props: Record<string, unknown>, plannedId: string | undefined): Promise<CreatedResource>;
  /** In-place update; absent means every change replaces. */
  update?(ctx: ProviderContext, physicalId: string, props: Record<string, unknown>, old: Record<string, unknown>, attributes: Record<string, unknown>): Promise<Omit<CreatedResource, 'physicalId'> | void>;
  /** Deletes it; a resource already gone is not an error. */
  delete(ctx: ProviderContext, physicalId: string, props: Record<string, unknown>, attributes: Record<string, unknown>): Promise<void>;
}

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A name for a resource the template leaves unnamed, as CloudFormation makes them:
 * `{stack}-{logicalId}-{12 random}`, the first two parts cut to fit `maxLength`.
 */
export function generatedName(ctx: ProviderContext, maxLength: number, options: { lowercase?: boolean; suffix?: string; separator?: string } = {}): string {
  let random = '';
  const bytes = randomBytes(12);
  for (const b of bytes) random += NAME_CHARS[b % NAME_CHARS.length];
  const sep = options.separator ?? '-';
  const suffix = options.suffix ?? '';
  const room = maxLength - random.length - suffix.length - 2 * sep.length;
  const stackPart = ctx.stackName.slice(0, Math.max(1, Math.floor(room / 2)));
  const logicalPart = ctx.logicalId.slice(0, Math.max(1, room - stackPart.length));
  const name = `${stackPart}${sep}${logicalPart}${sep}${random}${suffix}`;
  return options.lowercase ? name.toLowerCase() : name;
}

/** A provider error that says the resource was not there (delete is then done). */
export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? '';
  return /NotFound|NoSuch|NonExistent|DoesNotExist/.test(name);
}

/**
 * A create refused because the resource already exists (a name another stack, or the user, took):
 * nothing was made, so a rollback must not delete the one that exists under that name.
 */
export function isAlreadyExists(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return /AlreadyExists|AlreadyOwnedByYou|ResourceConflict|ResourceInUse|QueueNameExists/.test(e?.name ?? '') || e?.$metadata?.httpStatusCode === 409;
}

export async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Waits until `check` answers true (a function Active, a table ACTIVE), up to `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let delay = 25;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not stabilize within ${timeoutMs / 1000} seconds`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}
