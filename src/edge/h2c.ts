import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** What every HTTP/2 connection opens with (RFC 9113 §3.4); no HTTP/1 request line starts this way. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface H2cListener {
  /** Ends every HTTP/2 session, as `closeAllConnections` does for HTTP/1.1 sockets. */
  closeAllSessions(): void;
}

/**
 * Lets the HTTP/1.1 server's port also speak HTTP/2 over cleartext with prior knowledge (h2c),
 * which is how the JS SDK v3's Kinesis client talks by default. Each new connection's first bytes
 * are looked at once: the HTTP/2 preface hands the socket to an HTTP/2 server, anything else goes
 * to the HTTP/1.1 server's own connection handling, so HTTP/1.1 requests pay nothing per request.
 */
export function acceptH2c(server: Server, handle: (req: Http2ServerRequest, res: Http2ServerResponse) => void): H2cListener {
  const http2 = createHttp2Server({}, handle);
  // A Kinesis SubscribeToShard stream stays open for minutes; the HTTP/1.1 server sets no timeout either.
  http2.setTimeout(0);
  const sessions = new Set<ServerHttp2Session>();
  http2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  const http1Listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const toHttp1 = (socket: Socket) => {
    for (const listener of http1Listeners) listener.call(server, socket);
  };
  server.on('connection', (socket: Socket) => sniff(socket, toHttp1, (s) => http2.emit('connection', s)));
  return {
    closeAllSessions() {
      for (const session of sessions) session.destroy();
    },
  };
}

/** Reads the connection's first bytes (in paused mode), puts them back, and picks the protocol. */
function sniff(socket: Socket, toHttp1: (socket: Socket) => void, toHttp2: (socket: Socket) => void): void {
  let head: Buffer = Buffer.alloc(0);
  const onError = () => socket.destroy();
  const onEnd = () => socket.destroy();
  socket.on('error', onError);
  socket.once('end', onEnd);
  const look = () => {
    const chunk = socket.read() as Buffer | null;
    if (chunk !== null) head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const compared = Math.min(head.length, HTTP2_PREFACE.length);
    const prefaceSoFar = head.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
    // Nothing yet, or a preface split across packets: wait for more before deciding.
    if (prefaceSoFar && compared < HTTP2_PREFACE.length) {
      socket.once('readable', look);
      return;
    }
    socket.off('error', onError);
    socket.off('end', onEnd);
    socket.unshift(head);
    if (prefaceSoFar) toHttp2(socket);
    else toHttp1(socket);
  };
  look();
}
