import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShiftableClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { KeyedLock } from '../src/keyed-lock.js';
import type { FunctionConfiguration } from '../src/services/lambda/model.js';
import { Provisioner } from '../src/services/lambda/provisioner.js';
import type { FunctionsTable, VersionRow } from '../src/services/lambda/tables/functions-table.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };

/** One version row in memory; the first `failures` reads throw, as a store that refused them. */
function tableFailing(failures: number) {
  let row: VersionRow = { version: '$LATEST', config: { FunctionName: 'f', State: 'Pending' } as FunctionConfiguration, codeHex: 'aa' };
  const table = {
    reads: 0,
    async getVersion(): Promise<VersionRow | undefined> {
      table.reads++;
      if (failures-- > 0) throw new Error('connection terminated unexpectedly');
      return row;
    },
    async putVersion(_scope: unknown, _name: string, _version: string, config: FunctionConfiguration, codeHex: string): Promise<void> {
      row = { version: '$LATEST', config, codeHex };
    },
    state: () => row.config.State,
  };
  return table;
}

describe('provisioner: a version is settled even when the store refuses a read', () => {
  test('a failed settle is tried again (1 s, then 2 s later) until the version is Active', async () => {
    const clock = new ShiftableClock();
    const table = tableFailing(2);
    const provisioner = new Provisioner(table as unknown as FunctionsTable, new KeyedLock(), clock, 0, createLogger('silent'));
    provisioner.schedule(scope, 'f', '$LATEST');
    const settle = async (ms: number) => {
      clock.advance(ms);
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    await settle(0);
    assert.equal(table.reads, 1);
    assert.equal(table.state(), 'Pending');
    await settle(500);
    assert.equal(table.reads, 1, 'not before a second');
    await settle(500);
    assert.equal(table.reads, 2);
    assert.equal(table.state(), 'Pending');
    await settle(2_000);
    assert.equal(table.state(), 'Active');
    provisioner.close();
  });

  test('close stops the retries', async () => {
    const clock = new ShiftableClock();
    const table = tableFailing(100);
    const provisioner = new Provisioner(table as unknown as FunctionsTable, new KeyedLock(), clock, 0, createLogger('silent'));
    provisioner.schedule(scope, 'f', '$LATEST');
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    provisioner.close();
    clock.advance(60_000);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(table.reads, 1);
  });
});
