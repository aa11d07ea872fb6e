import { existsSync } from 'node:fs';
import path from 'node:path';
import { openStore, storeOptions, type Store } from '../store/database.js';

/** Where a reading command (logs, events, bill, functions) finds Lambkin's records. */
export interface StoreSource {
  /** `--store`, LAMBKIN_STORE or config.json's `store`: a cluster's PostgreSQL; empty for SQLite. */
  store: string;
  dataDir: string;
}

/**
 * The store, as `lambkin start` opens it with the same settings; null for a data directory that
 * holds no Lambkin data (opening it would create an empty store).
 */
export async function openReadStore(source: StoreSource): Promise<Store | null> {
  const options = storeOptions(source.store, source.dataDir);
  if (options.kind === 'sqlite' && !existsSync(path.join(source.dataDir, 'lambkin.db'))) return null;
  return openStore(options);
}

/** The store as messages name it: the data directory, or the database's URL without its password. */
export function describeStoreSource(source: StoreSource): string {
  if (storeOptions(source.store, source.dataDir).kind === 'sqlite') return source.dataDir;
  const url = new URL(source.store);
  url.password = '';
  return url.toString();
}
