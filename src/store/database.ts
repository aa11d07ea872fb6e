import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrate(db);
  return db;
}

async function migrate(db: Kysely<Database>): Promise<void> {
  // Migration numbers are handed out ahead of time and may land out of order (0019 before 0018):
  // a store that already ran a later one still gets an earlier one that landed after it.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`store migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}

const MAX_CACHED_STATEMENTS = 512;

/**
 * Kysely prepares every query afresh; compiling the SQL was a measurable share of each warm
 * invoke's CPU. Statements are reusable, so keep the most recently used ones by their SQL text.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        // Re-inserting keeps the map in least-recently-used order.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
