import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { ContainerImages } from '../../contracts/container-images.js';
import type { Logger } from '../../logger.js';
import { transitionState, transitionUpdateStatus, type FunctionState, type UpdateStatus } from './function-state.js';
import { decodeImageCode, settledCode, type ImageCode } from './image-code.js';
import { ImageSizeCheck, type ImageFailure } from './image-size-check.js';
import type { KeyedLock } from '../../keyed-lock.js';
import type { FunctionConfiguration, Scope } from './model.js';
import type { FunctionsTable } from './tables/functions-table.js';

/** A failed settle is tried again after 1 s, then 2 s, 4 s, at most 5 s apart. */
const SETTLE_RETRY_FIRST_MS = 1_000;
const SETTLE_RETRY_MAX_MS = 5_000;

/**
 * Moves a version from `Pending`/`InProgress` to `Active`/`Successful` after a short delay, as AWS
 * does once it has prepared the code, so SDK waiters see the same sequence of states. A container
 * image is checked meanwhile, as AWS checks it while it prepares the image: one that cannot run
 * turns a Pending function Failed, and fails an update, which goes back to the previous image.
 */
export class Provisioner {
  private readonly timers = new Set<{ cancel(): void }>();
  private closed = false;
  private readonly imageSizes: ImageSizeCheck | null;

  constructor(
    private readonly functions: FunctionsTable,
    private readonly lock: KeyedLock,
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly logger: Logger,
    images?: ContainerImages,
  ) {
    this.imageSizes = images ? new ImageSizeCheck(images) : null;
  }

  /**
   * Settles the version after the delay. A settle that fails (the store refused a read or the
   * write) is tried again, 1 s, 2 s, 4 s… later, up to 5 s apart: left alone, the version would
   * stay Pending or InProgress until the next start, and every waiter would time out.
   */
  schedule(scope: Scope, name: string, version: string, attempt = 0): void {
    const delayMs = attempt === 0 ? this.delayMs : Math.min(SETTLE_RETRY_MAX_MS, SETTLE_RETRY_FIRST_MS * 2 ** (attempt - 1));
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.settle(scope, name, version).catch((err: unknown) => {
        this.logger.error({ err, name, version, attempt }, 'provisioning failed; trying again');
        if (!this.closed) this.schedule(scope, name, version, attempt + 1);
      });
    }, delayMs);
    this.timers.add(timer);
  }

  async settle(scope: Scope, name: string, version: string): Promise<void> {
    const before = await this.functions.getVersion(scope, name, version);
    if (!before) return;
    const image = decodeImageCode(before.codeHex);
    // Measured outside the function's lock: a large image takes seconds to read.
    const failure = image && this.imageSizes && isUnsettled(before.config) ? await this.imageFailure(image, name) : null;
    await this.lock.run(functionLockKey(scope, name), async () => {
      const row = await this.functions.getVersion(scope, name, version);
      // Another update replaced the code meanwhile; its own settling decides.
      if (!row || row.codeHex !== before.codeHex) return;
      const config = { ...row.config };
      let codeHex = row.codeHex;
      if (failure) {
        codeHex = this.fail(config, failure, image?.previous) ?? codeHex;
      } else {
        if (!this.succeed(config)) return;
        // Settled: the replaced image is no longer needed to go back to.
        if (image?.previous !== undefined) codeHex = settledCode(image);
      }
      config.RevisionId = randomUUID();
      await this.functions.putVersion(scope, name, version, config, codeHex, this.clock.now());
    });
  }

  /**
   * A layer that cannot be read (its blob gone from disk) is not a size verdict: the function
   * settles, and the invoke that needs the image reports what is missing.
   */
  private async imageFailure(image: ImageCode, name: string): Promise<ImageFailure | null> {
    try {
      return await this.imageSizes!.failureOf(image);
    } catch (err) {
      this.logger.warn({ err, name, digest: image.digest }, 'the image could not be measured');
      return null;
    }
  }

  private succeed(config: FunctionConfiguration): boolean {
    let changed = false;
    if (config.State === 'Pending') {
      config.State = transitionState(config.State as FunctionState, 'provisioned');
      delete config.StateReason;
      delete config.StateReasonCode;
      if (config.LastUpdateStatus === undefined) config.LastUpdateStatus = 'Successful';
      changed = true;
    }
    if (config.LastUpdateStatus === 'InProgress') {
      config.LastUpdateStatus = transitionUpdateStatus(config.LastUpdateStatus as UpdateStatus, 'updateSucceeded');
      delete config.LastUpdateStatusReason;
      delete config.LastUpdateStatusReasonCode;
      changed = true;
    }
    return changed;
  }

  /** A Pending function turns Failed; an update fails and its code goes back to `previous` (answered). */
  private fail(config: FunctionConfiguration, failure: ImageFailure, previous: string | undefined): string | undefined {
    let restored: string | undefined;
    if (config.State === 'Pending') {
      config.State = transitionState('Pending', 'provisioningFailed');
      config.StateReason = failure.reason;
      config.StateReasonCode = failure.code;
    } else if (previous !== undefined) {
      restored = previous;
      const code = decodeImageCode(previous);
      if (code) config.CodeSha256 = code.digest.replace(/^sha256:/, '');
    }
    config.LastUpdateStatus = transitionUpdateStatus((config.LastUpdateStatus ?? 'InProgress') as UpdateStatus, 'updateFailed');
    config.LastUpdateStatusReason = failure.reason;
    config.LastUpdateStatusReasonCode = failure.code;
    return restored;
  }

  /** Finishes what a previous process left Pending or InProgress. */
  async recover(): Promise<void> {
    for (const item of await this.functions.listUnsettled()) await this.settle(item.scope, item.name, item.version);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}

function isUnsettled(config: FunctionConfiguration): boolean {
  return config.State === 'Pending' || config.LastUpdateStatus === 'InProgress';
}

export function functionLockKey(scope: Scope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}
