import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The machine's PostgreSQL for the tests that run against it: LAMBKIN_TEST_POSTGRES, else the
 * `test` database at 127.0.0.1:5432 as `postgres`. Each run works in a database of its own
 * (lambkin_test_<random>), created here and dropped after.
 */
export const TEST_POSTGRES_URL = process.env.LAMBKIN_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';

/** What a test names when it skips. */
export const NO_POSTGRES = `no PostgreSQL at ${TEST_POSTGRES_URL} (Debian package postgresql; .ci/run starts it)`;

let reachable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers (asked once per process). */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database beside the test one; `drop` ends its connections and removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `lambkin_test_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
