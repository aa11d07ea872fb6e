import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_logs_and_usage.js';
import * as m0007 from './0007_events.js';

/** Migrations in order; the name is the key Kysely records, so it never changes once shipped. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { '0001_initial': m0001, '0002_logs_and_usage': m0002, '0007_events': m0007 };
  },
};
