import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { DebugSessions } from '../src/engine/debugging/debug-sessions.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Reads from `socket` until `bytes` have come, or resolves with what came when it closes. */
function read(socket: net.Socket, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const done = () => resolve(got);
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (got.length >= bytes) {
        socket.off('close', done);
        resolve(got);
      }
    });
    socket.once('close', done);
  });
}

/** A debugger that answers each connection's first bytes with `reply:` and then echoes. */
function fakeDebugger(port: number): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.once('data', (first: Buffer) => {
      socket.write(`reply:${first.toString('latin1')}`);
      socket.on('data', (more: Buffer) => socket.write(more));
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

test('a debugger attached before its environment exists, or before the debugger listens, is held and its handshake replayed, not dropped', async () => {
  const sessions = new DebugSessions();
  const port = await freePort();
  await sessions.open('f', port);
  let debuggerServer: net.Server | undefined;
  let forward: net.Server | undefined;
  try {
    // Attached first: no environment serves the session yet.
    const client = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    client.write('JDWP-Handshake');
    const answer = read(client, 'reply:JDWP-Handshake'.length);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(client.destroyed, false, 'held while no environment serves');
    assert.equal(sessions.list()[0]!.attached, true);

    // The environment starts; like pasta's forward before the JVM listens, its port takes a
    // connection and drops it at once.
    const claim = sessions.claim('f', 'env-1')!;
    forward = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => forward!.listen(claim.attachment.listenPort, '127.0.0.1', resolve));
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(client.destroyed, false, 'held while the debugger drops it unanswered');
    await new Promise<void>((resolve) => forward!.close(() => resolve()));
    forward = undefined;

    // The debugger listens: it gets the handshake sent before, once, and its answer comes back.
    debuggerServer = await fakeDebugger(claim.attachment.listenPort);
    assert.equal(await answer, 'reply:JDWP-Handshake');
    client.write('after');
    assert.equal(await read(client, 'after'.length), 'after', 'then bytes pass both ways');

    // The environment goes: its client is disconnected.
    const closed = new Promise((resolve) => client.once('close', resolve));
    claim.release();
    await closed;
    assert.equal(sessions.list()[0]!.attached, false);
  } finally {
    sessions.closeAll();
    debuggerServer?.close();
    forward?.close();
  }
});
