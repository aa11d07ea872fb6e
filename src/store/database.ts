import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Store = Kysely<Database>;

export interface StoreOptions {
  kind: 'sqlite';
  /** Directory holding `lambkin.db`; `:memory:` keeps everything in memory. */
  dataDir: string;
}

/**
 * The dialect seam: services receive a Kysely instance and never know which database is behind it.
 * A PostgreSQL store adds a branch here with `PostgresDialect`; migrations are written portably.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  let file = ':memory:';
  if (options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    file = path.join(options.dataDir, 'lambkin.db');
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return db;
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`store migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
