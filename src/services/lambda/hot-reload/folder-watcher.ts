import { existsSync, watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isIgnoredPath } from './folder-ignore.js';

/** Editors save in steps (write a temporary, rename, touch): one reload for the lot. */
export const HOT_RELOAD_DEBOUNCE_MS = 60;

/**
 * Watches a folder tree with one inotify watch per directory (not per file, as a recursive
 * fs.watch on Linux would set), adding directories as they appear, and reports the relative paths
 * that changed once the writes have been quiet for the debounce interval.
 */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly onChange: (changed: string[]) => void,
    private readonly options: { debounceMs?: number; /** Keeps the process alive (a command whose only work is watching). */ persistent?: boolean } = {},
  ) {}

  /** Resolves once every directory present now is watched. */
  async start(): Promise<void> {
    await this.watchTree(this.root);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private async watchTree(dir: string): Promise<void> {
    if (this.closed || this.watchers.has(dir)) return;
    const relative = path.relative(this.root, dir);
    if (relative && isIgnoredPath(relative)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: this.options.persistent ?? false }, (_event, name) => this.changed(dir, name?.toString()));
    } catch {
      return; // gone already, or unreadable: nothing there to run either
    }
    watcher.on('error', () => this.unwatch(dir));
    this.watchers.set(dir, watcher);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => this.watchTree(path.join(dir, e.name))));
  }

  private async watchIfDirectory(full: string): Promise<void> {
    const stats = await stat(full).catch(() => null);
    if (stats?.isDirectory()) await this.watchTree(full).catch(() => undefined);
  }

  private unwatch(dir: string): void {
    for (const [watched, watcher] of this.watchers) {
      if (watched === dir || watched.startsWith(`${dir}${path.sep}`)) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
  }

  private changed(dir: string, name: string | undefined): void {
    if (this.closed) return;
    const full = name ? path.join(dir, name) : dir;
    const relative = path.relative(this.root, full) || '.';
    if (isIgnoredPath(relative)) return;
    this.pending.add(relative);
    // A new directory (or one renamed in) needs its own watch; a removed one loses it.
    if (name) void this.watchIfDirectory(full);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.debounceMs ?? HOT_RELOAD_DEBOUNCE_MS);
  }

  private flush(): void {
    const changed = [...this.pending].sort();
    this.pending.clear();
    // A watched directory among the changes may have been removed: its watch goes with it.
    for (const relative of changed) {
      const dir = path.join(this.root, relative);
      if (this.watchers.has(dir) && !existsSync(dir)) this.unwatch(dir);
    }
    if (changed.length > 0) this.onChange(changed);
  }
}
