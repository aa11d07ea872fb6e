import { decodeFolderCode, encodeFolderCode } from '../../../contracts/folder-code.js';
import type { Engine } from '../../../engine/invoke.js';
import type { Logger } from '../../../logger.js';
import { layerVersionArn } from '../arns.js';
import type { Scope } from '../model.js';
import type { LayersTable } from '../tables/layers-table.js';
import { digestFolder } from './folder-digest.js';
import { FolderWatcher } from './folder-watcher.js';

interface LayerVersionKey {
  scope: Scope;
  name: string;
  version: number;
}

interface WatchedFolder {
  watcher: FolderWatcher;
  /** The layer versions whose content is this folder, by ARN. */
  versions: Map<string, LayerVersionKey>;
}

/**
 * Layer versions whose content is a folder on the host (`Content: {S3Bucket: "hot-reload", S3Key:
 * "/abs/path"}`), mounted as the `/opt` of functions using them. When files under a folder change,
 * each such version gets the folder's new `CodeSha256` and `CodeSize` and every function with an
 * environment using it starts new environments after their current invocation (a fresh Init).
 * Accepting a folder is `HostFolderCode.accept`'s job (the same roots and loopback rules).
 */
export class HostFolderLayers {
  private readonly folders = new Map<string, WatchedFolder>();
  private closed = false;

  constructor(private readonly deps: { layers: LayersTable; logger: Logger; engine?: Engine }) {}

  /** Watches every folder a stored layer version uses (at startup). */
  async recover(): Promise<void> {
    for (const row of await this.deps.layers.listByCodePrefix(encodeFolderCode(''))) {
      const folder = decodeFolderCode(row.codeHex);
      if (folder) await this.follow(row, folder);
    }
  }

  /** A version was published with a folder as its content: watch it. */
  async follow(key: LayerVersionKey, folder: string): Promise<void> {
    if (this.closed) return;
    let watched = this.folders.get(folder);
    if (!watched) {
      const watcher = new FolderWatcher(folder, (changed) => void this.reload(folder, changed));
      watched = { watcher, versions: new Map() };
      this.folders.set(folder, watched);
      await watcher.start();
    }
    watched.versions.set(arnOf(key), key);
  }

  /** A version was deleted: a folder no version uses any more is not watched. */
  forget(key: LayerVersionKey): void {
    const arn = arnOf(key);
    for (const [folder, watched] of this.folders) {
      if (!watched.versions.delete(arn) || watched.versions.size > 0) continue;
      watched.watcher.close();
      this.folders.delete(folder);
    }
  }

  private async reload(folder: string, changed: string[]): Promise<void> {
    const watched = this.folders.get(folder);
    if (!watched || this.closed) return;
    const digest = await digestFolder(folder);
    for (const [arn, key] of watched.versions) {
      try {
        await this.deps.layers.putContent(key.scope, key.name, key.version, { CodeSha256: digest.sha256Base64, CodeSize: digest.size });
        this.deps.engine?.retireEnvironmentsUsingLayer(arn);
        this.deps.logger.info({ layer: arn, folder, changed: changed.slice(0, 20), files: changed.length }, `layer content changed in ${folder}: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}; functions using ${arn} start new environments`);
      } catch (err) {
        this.deps.logger.error({ err, layer: arn, folder }, 'layer hot reload failed');
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const watched of this.folders.values()) watched.watcher.close();
    this.folders.clear();
  }
}

function arnOf(key: LayerVersionKey): string {
  return layerVersionArn(key.scope.region, key.scope.accountId, key.name, key.version);
}
