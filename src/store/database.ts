import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import { openPostgresStore } from './postgres/open.js';
import type { Database } from './schema.js';

export type Store = Kysely<Database>;

export type StoreOptions =
  | {
      kind: 'sqlite';
      /** Directory holding `lambkin.db`; `:memory:` keeps everything in memory. */
      dataDir: string;
    }
  | {
      kind: 'postgres';
      /** postgres://user:password@host:port/database */
      url: string;
    };

/**
 * The dialect seam: services receive a Kysely instance and rarely need to know which database is
 * behind it (where they do, `isPostgres`). SQLite is the default; PostgreSQL (postgres/open.ts)
 * runs the same migrations with its column types mapped.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'postgres') return openPostgresStore(options.url, migrate);
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

/** Whether `db` (a store or one of its transactions) is PostgreSQL, for the few queries that differ. */
export function isPostgres(db: Pick<Kysely<any>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A `--store` / LAMBKIN_STORE value: a postgres:// URL, or empty for the data directory's SQLite. */
export function storeOptions(store: string | undefined, dataDir: string): StoreOptions {
  if (!store || store === 'sqlite') return { kind: 'sqlite', dataDir };
  if (/^postgres(ql)?:\/\//.test(store)) return { kind: 'postgres', url: store };
  throw new Error(`invalid store: ${store} (expected postgres://user@host/database)`);
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
