import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One client connection to the stub: what it sent, and a way to answer. */
export interface StubConnection {
  url: string;
  received: Array<Record<string, unknown>>;
  send(message: Record<string, unknown>): void;
  close(): void;
}

export interface SignallingStub {
  url: string;
  connections: StubConnection[];
  /** Called for every JSON message a client sends; answer with `connection.send`. */
  onMessage: (connection: StubConnection, message: Record<string, unknown>) => void;
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(payload: Buffer, opcode: number): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Splits client frames (always masked) off the buffer; returns what is left. */
function readFrames(buffer: Buffer, onFrame: (opcode: number, payload: Buffer) => void): Buffer {
  let rest = buffer;
  for (;;) {
    if (rest.length < 2) return rest;
    const opcode = (rest[0] ?? 0) & 0x0f;
    let length = (rest[1] ?? 0) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (rest.length < 4) return rest;
      length = rest.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (rest.length < 10) return rest;
      length = Number(rest.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = ((rest[1] ?? 0) & 0x80) !== 0;
    const maskLength = masked ? 4 : 0;
    if (rest.length < offset + maskLength + length) return rest;
    const mask = rest.subarray(offset, offset + maskLength);
    const payload = Buffer.from(rest.subarray(offset + maskLength, offset + maskLength + length));
    if (masked) for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    onFrame(opcode, payload);
    rest = rest.subarray(offset + maskLength + length);
  }
}

/**
 * A minimal WebSocket server on 127.0.0.1 that plays TRTC's signalling server for the real SDK
 * (enterRoom's `proxy.websocketProxy`). JSON text frames only; see docs/sdk-facts.md.
 */
export async function startSignallingStub(): Promise<SignallingStub> {
  const server: Server = createServer((_, response) => response.writeHead(404).end());
  const sockets = new Set<Socket>();
  const stub: SignallingStub = {
    url: '',
    connections: [],
    onMessage: () => undefined,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const key = String(request.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const connection: StubConnection = {
      url: request.url ?? '',
      received: [],
      send: (message) => {
        if (!socket.destroyed) socket.write(frame(Buffer.from(JSON.stringify(message)), 0x1));
      },
      close: () => socket.destroy(),
    };
    stub.connections.push(connection);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = readFrames(Buffer.concat([pending, chunk]), (opcode, payload) => {
        if (opcode === 0x8) return socket.end();
        if (opcode === 0x9) return socket.write(frame(payload, 0xa));
        if (opcode !== 0x1) return;
        try {
          const message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          connection.received.push(message);
          stub.onMessage(connection, message);
        } catch {
          // Not JSON: the SDK sends only JSON; ignore anything else.
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
