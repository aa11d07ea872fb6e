import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import type { Engine } from '../../../engine/invoke.js';
import type { Logger } from '../../../logger.js';
import type { KeyedLock } from '../../../keyed-lock.js';
import { lambdaTimestamp, type Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import type { FunctionsTable } from '../tables/functions-table.js';
import { checkHostFolder, type HostFolderPolicy } from './folder-access.js';
import { decodeFolderCode, encodeFolderCode } from '../../../contracts/folder-code.js';
import { digestFolder, type FolderDigest } from './folder-digest.js';
import { FolderWatcher } from './folder-watcher.js';

/** A host folder accepted as code: what to store and what to report. */
export interface HostFolderPackage extends FolderDigest {
  folder: string;
  /** The stored code reference (`folder:<path>`). */
  stored: string;
}

interface WatchedFolder {
  watcher: FolderWatcher;
  /** `accountId/region/name` of each function with a version running this folder. */
  functions: Map<string, { scope: Scope; name: string }>;
}

/**
 * Functions whose code is a folder on the host, reloaded on change: when files under a folder
 * change, `$LATEST` of every function using it gets the folder's new `CodeSha256`, `CodeSize` and
 * `LastModified` (as after UpdateFunctionCode) and the function's environments are retired after
 * their current invocation, so the next invoke runs the new code with a fresh Init.
 */
export class HostFolderCode {
  private readonly folders = new Map<string, WatchedFolder>();
  private closed = false;

  constructor(
    private readonly deps: {
      policy: HostFolderPolicy;
      functions: FunctionsTable;
      lock: KeyedLock;
      clock: Clock;
      logger: Logger;
      engine?: Engine;
    },
  ) {}

  /** `S3Key` of a `hot-reload` Code, checked against the policy, with its digest. */
  async accept(sourceIp: string, key: string): Promise<HostFolderPackage> {
    const folder = await checkHostFolder(this.deps.policy, sourceIp, key);
    return { folder, stored: encodeFolderCode(folder), ...(await digestFolder(folder)) };
  }

  /** Watches every folder a stored function uses (at startup). */
  async recover(): Promise<void> {
    for (const { scope, name } of await this.deps.functions.listByCodePrefix(encodeFolderCode(''))) await this.follow(scope, name);
  }

  /**
   * After a function's code changed or it was deleted: its folders are watched, and a folder
   * no function uses any more is not.
   */
  async follow(scope: Scope, name: string): Promise<void> {
    const key = functionLockKey(scope, name);
    const used = new Set<string>();
    for (const row of await this.deps.functions.listVersions(scope, name)) {
      const folder = decodeFolderCode(row.codeHex);
      if (folder) used.add(folder);
    }
    for (const [folder, watched] of this.folders) {
      if (used.has(folder)) continue;
      watched.functions.delete(key);
      if (watched.functions.size === 0) {
        watched.watcher.close();
        this.folders.delete(folder);
      }
    }
    for (const folder of used) {
      let watched = this.folders.get(folder);
      if (!watched) {
        if (this.closed) return;
        const watcher = new FolderWatcher(folder, (changed) => void this.reload(folder, changed));
        watched = { watcher, functions: new Map() };
        this.folders.set(folder, watched);
        await watcher.start();
      }
      watched.functions.set(key, { scope, name });
    }
  }

  private async reload(folder: string, changed: string[]): Promise<void> {
    const watched = this.folders.get(folder);
    if (!watched || this.closed) return;
    const digest = await digestFolder(folder);
    for (const { scope, name } of watched.functions.values()) {
      try {
        await this.reloadFunction(scope, name, folder, digest);
        this.deps.logger.info({ function: name, folder, changed: changed.slice(0, 20), files: changed.length }, `code changed in ${folder}: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}; ${name} starts new environments`);
      } catch (err) {
        this.deps.logger.error({ err, function: name, folder }, 'hot reload failed');
      }
    }
  }

  private async reloadFunction(scope: Scope, name: string, folder: string, digest: FolderDigest): Promise<void> {
    await this.deps.lock.run(functionLockKey(scope, name), async () => {
      const latest = await this.deps.functions.getVersion(scope, name, '$LATEST');
      if (latest && decodeFolderCode(latest.codeHex) === folder && latest.config.CodeSha256 !== digest.sha256Base64) {
        const now = this.deps.clock.now();
        const config = { ...latest.config, CodeSha256: digest.sha256Base64, CodeSize: digest.size, LastModified: lambdaTimestamp(now), RevisionId: randomUUID() };
        await this.deps.functions.putVersion(scope, name, '$LATEST', config, latest.codeHex, now);
      }
    });
    // Published versions run the same folder: all of them start afresh.
    this.deps.engine?.retireEnvironments({ accountId: scope.accountId, region: scope.region, functionName: name });
  }

  close(): void {
    this.closed = true;
    for (const watched of this.folders.values()) watched.watcher.close();
    this.folders.clear();
  }
}
