import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodePong, encodeText, handshakeResponse, Opcode, parseFrames } from '../../src/inspect/websocket.js';

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
  const receive = (connection: StubConnection, payload: Buffer) => {
    try {
      const message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      connection.received.push(message);
      stub.onMessage(connection, message);
    } catch {
      // Not JSON: the SDK sends only JSON; ignore anything else.
    }
  };
  server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(handshakeResponse(String(request.headers['sec-websocket-key'] ?? '')));
    const connection: StubConnection = {
      url: request.url ?? '',
      received: [],
      send: (message) => {
        if (!socket.destroyed) socket.write(encodeText(JSON.stringify(message)));
      },
      close: () => socket.destroy(),
    };
    stub.connections.push(connection);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = parseFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const { opcode, payload } of frames) {
        if (opcode === Opcode.close) socket.end();
        else if (opcode === Opcode.ping) socket.write(encodePong(payload));
        else if (opcode === Opcode.text) receive(connection, payload);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
