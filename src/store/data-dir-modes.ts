import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Who may read what in the data directory. Function processes run as an unprivileged user: they
 * must reach extracted code and layers (plain mode runs them from these host paths), never the
 * database, the installation secret, stored objects or upload blobs. The directory itself is
 * traversable but not listable, so a function cannot even learn which functions exist.
 */
const PRIVATE_FILES = /^(lambkin\.db(-wal|-shm|-journal)?|secret|config\.json)$/;
const PRIVATE_DIRS = new Set(['s3', 'blobs']);
const DATA_DIR_MODE = 0o711;

/** Creates the data directory if needed and applies the modes above to what is already in it. */
export function sealDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  chmodSync(dataDir, DATA_DIR_MODE);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const full = path.join(dataDir, entry.name);
    if (entry.isFile() && PRIVATE_FILES.test(entry.name)) chmodSync(full, 0o600);
    else if (entry.isDirectory() && PRIVATE_DIRS.has(entry.name)) chmodSync(full, 0o700);
  }
  for (const dir of PRIVATE_DIRS) mkdirSync(path.join(dataDir, dir), { recursive: true, mode: 0o700 });
  // SQLite gives its -wal and -shm files the database file's mode: create it private.
  const db = path.join(dataDir, 'lambkin.db');
  if (!existsSync(db)) closeSync(openSync(db, 'a', 0o600));
}
