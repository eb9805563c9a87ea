import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect as connectTcp, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { createWebSocketReceiver } from '@statelyai/inspect';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { WebSocket } from 'ws';
import { startInspectorServer } from '../../src/inspect/server.js';
import type { InspectorServer, InspectorServerOptions } from '../../src/inspect/server.js';

const WAIT_MS = 3_000;

export async function waitFor(condition: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const servers: InspectorServer[] = [];
const peers: Peer[] = [];

/** Starts a server on any free port (unless told one), to be closed by `closeAll()`. */
export async function startServer(options: InspectorServerOptions = {}): Promise<InspectorServer> {
  const server = await startInspectorServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

/** Ends every client connected with `connectPeer` and closes every server started here (for afterEach). */
export async function closeAll(): Promise<void> {
  for (const peer of peers.splice(0)) peer.ws.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
}

/** Collects what a @statelyai/inspect receiver gets; its socket closes when the server does. */
export function receive(server: InspectorServer): StatelyInspectionEvent[] {
  const received: StatelyInspectionEvent[] = [];
  createWebSocketReceiver({ server: server.url }).subscribe((event) => received.push(event));
  return received;
}

/** A port nothing listens on (for a moment): to show that a refused server never bound one. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves true if a TCP connection to host:port is accepted, false if it is refused. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function canListen(host: string): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, host, () => probe.close(() => resolve(true)));
  });
}

/** A ws client of the server, recording what it gets. */
export interface Peer {
  ws: WebSocket;
  /** Text messages received, in order. */
  texts: string[];
  pongs: Buffer[];
  /** The code of the server's close frame (1006 if the connection went without one), once closed. */
  closeCode(): number | undefined;
  closed(): boolean;
  /** Writes bytes on the TCP socket as they are, past ws's framing: for frames ws would never send. */
  write(bytes: Buffer): void;
}

/** Connects a ws client; resolves once it is open (rejects if the server refuses it). */
export async function connectPeer(url: string): Promise<Peer> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const texts: string[] = [];
  const pongs: Buffer[] = [];
  let socket: Socket | undefined;
  let code: number | undefined;
  ws.on('upgrade', (response) => (socket = response.socket as Socket));
  ws.on('message', (data, isBinary) => {
    if (!isBinary) texts.push(String(data));
  });
  ws.on('pong', (data) => pongs.push(data));
  ws.on('close', (closeCode) => (code = closeCode));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('error', () => undefined);
  const peer: Peer = {
    ws,
    texts,
    pongs,
    closeCode: () => code,
    closed: () => ws.readyState === ws.CLOSED,
    write: (bytes) => socket?.write(bytes),
  };
  peers.push(peer);
  return peer;
}

/** A masked client frame, built by hand so a test can also build what RFC 6455 forbids. */
export function clientFrame(opcode: number, payload: Buffer, { fin = true, masked = true } = {}): Buffer {
  let lengthBytes: Buffer;
  if (payload.length < 126) lengthBytes = Buffer.from([payload.length]);
  else if (payload.length < 65536) {
    lengthBytes = Buffer.from([126, 0, 0]);
    lengthBytes.writeUInt16BE(payload.length, 1);
  } else {
    lengthBytes = Buffer.alloc(9);
    lengthBytes[0] = 127;
    lengthBytes.writeBigUInt64BE(BigInt(payload.length), 1);
  }
  if (masked) lengthBytes[0] = (lengthBytes[0] ?? 0) | 0x80;
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), lengthBytes, mask, body]);
}

export interface UpgradeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface UpgradeRequest {
  /** Sent as `Origin`, as a browser does; left out, as Node clients do. */
  origin?: string;
  /** The request path and query; default the server's own, token included. */
  path?: string;
}

/** A WebSocket upgrade request by hand, to see the HTTP answer to it. */
export function upgrade(server: InspectorServer, { origin, path = `/?token=${server.token}` }: UpgradeRequest = {}): Promise<UpgradeAnswer> {
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
  };
  if (origin !== undefined) headers.Origin = origin;
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: server.host, port: server.port, path, headers });
    outgoing.once('upgrade', (response, socket: Socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    outgoing.once('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** A TCP socket past a WebSocket handshake done by hand: the test writes raw frames on it. */
export function rawSocket(server: InspectorServer): Promise<Socket> {
  const socket = connectTcp({ host: server.host, port: server.port });
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.resume(); // drop whatever the server sends from now on
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0] ?? ''}`));
    };
    socket.on('data', onData);
    socket.write(
      `GET /?token=${server.token} HTTP/1.1\r\nHost: ${server.host}:${server.port}\r\nConnection: Upgrade\r\n` +
        `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
    );
  });
}
