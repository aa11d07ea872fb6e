import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './support/server.js';

test('closing a server twice (at once, then again) closes it once and both calls resolve', async () => {
  const server = await startTestServer();
  const { lambkin } = server;
  await Promise.all([lambkin.close(), lambkin.close()]);
  await lambkin.close();
  // The test server's own stop closes it a fourth time, then drops its data (and database).
  await server.stop();
  await assert.rejects(fetch(`${lambkin.url}/`), 'nothing listens any more');
});
