import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createWebSocketInspector, createWebSocketReceiver } from '@statelyai/inspect';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { startInspectorServer } from '../src/inspect/server.js';
import type { InspectorServer, InspectorServerOptions } from '../src/inspect/server.js';
import { parseFrames } from '../src/inspect/websocket.js';
import type { ClientFrame } from '../src/inspect/websocket.js';
import { RoomError } from '../src/errors.js';

const WAIT_MS = 3_000;

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const open: InspectorServer[] = [];
async function start(options: InspectorServerOptions = {}): Promise<InspectorServer> {
  const server = await startInspectorServer({ port: 0, ...options });
  open.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/** Collects what a @statelyai/inspect receiver gets; its socket closes when the server does. */
function receive(server: InspectorServer): StatelyInspectionEvent[] {
  const received: StatelyInspectionEvent[] = [];
  createWebSocketReceiver({ server: server.url }).subscribe((event) => received.push(event));
  return received;
}

/** A port nothing listens on (for a moment): to show that a refused server never bound one. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves true if a TCP connection to host:port is accepted, false if it is refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function canListen(host: string): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, host, () => probe.close(() => resolve(true)));
  });
}

interface UpgradeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A WebSocket upgrade request by hand, as a browser would send it (with `origin`) or Node would (without). */
function upgrade(server: InspectorServer, origin?: string): Promise<UpgradeAnswer> {
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
  };
  if (origin !== undefined) headers.Origin = origin;
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: server.host, port: server.port, headers });
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

function clientFrame(opcode: number, payload: Buffer, { fin = true, masked = true } = {}): Buffer {
  const lengthBytes =
    payload.length < 126 ? Buffer.from([payload.length]) : Buffer.from([126, payload.length >> 8, payload.length & 0xff]);
  if (masked) lengthBytes[0] = (lengthBytes[0] ?? 0) | 0x80;
  const mask = masked ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), lengthBytes, mask, body]);
}

interface RawClient {
  write(bytes: Buffer): void;
  /** Frames the server sent, in order. */
  frames: ClientFrame[];
  closed: () => boolean;
  /** Stops reading from the socket (what the server sends piles up), and starts again. */
  pause(): void;
  resume(): void;
}

/** A WebSocket client on a bare TCP socket: handshake by hand, then raw frames. */
async function rawClient(server: InspectorServer): Promise<RawClient> {
  const socket = connect({ host: server.host, port: server.port });
  socket.on('error', () => undefined);
  const frames: ClientFrame[] = [];
  let isClosed = false;
  socket.on('close', () => (isClosed = true));
  await new Promise<void>((resolve, reject) => {
    let buffer: Buffer = Buffer.alloc(0);
    let handshaken = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!handshaken) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buffer.subarray(0, headEnd).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${head}`));
        handshaken = true;
        buffer = buffer.subarray(headEnd + 4);
        resolve();
      }
      const parsed = parseFrames(buffer);
      frames.push(...parsed.frames);
      buffer = parsed.rest;
    });
    socket.write(
      `GET / HTTP/1.1\r\nHost: ${server.host}:${server.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
    );
  });
  return {
    write: (bytes) => socket.write(bytes),
    frames,
    closed: () => isClosed,
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  };
}

const closeCodeIn = (frame: ClientFrame | undefined) =>
  frame?.opcode === 0x8 && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;

async function expectClosedWith(client: RawClient, code: number): Promise<void> {
  await waitFor(() => client.closed(), `the server to close the connection with ${code}`);
  expect(client.frames.map((frame) => frame.opcode)).toEqual([0x8]);
  expect(closeCodeIn(client.frames[0])).toBe(code);
}

const texts = (client: RawClient) => client.frames.filter((frame) => frame.opcode === 0x1).map((frame) => frame.payload.toString('utf8'));

const toggle = createMachine({
  id: 'toggle',
  initial: 'off',
  states: { off: { on: { TOGGLE: 'on' } }, on: { on: { TOGGLE: 'off' } } },
});

describe('relaying @statelyai/inspect end to end', () => {
  it("a createWebSocketReceiver gets a createWebSocketInspector's actor, events and snapshots", async () => {
    const server = await start();
    const received = receive(server);
    await waitFor(() => server.clientCount === 1, 'the receiver to connect');
    const inspector = createWebSocketInspector({ url: server.url });
    await waitFor(() => server.clientCount === 2, 'the inspector to connect');

    const actor = createActor(toggle, { inspect: inspector.inspect });
    actor.start();
    actor.send({ type: 'TOGGLE' });
    actor.send({ type: 'TOGGLE' });
    const snapshots = () => received.filter((event) => event.type === '@xstate.snapshot');
    await waitFor(() => snapshots().length === 3, 'three snapshots');

    expect(snapshots().map((event) => (event.snapshot as { value?: unknown }).value)).toEqual(['off', 'on', 'off']);
    expect(snapshots().map((event) => event.event.type)).toEqual(['xstate.init', 'TOGGLE', 'TOGGLE']);
    const events = received.filter((event) => event.type === '@xstate.event');
    expect(events.map((event) => event.event.type)).toEqual(['xstate.init', 'TOGGLE', 'TOGGLE']);
    const actors = received.filter((event) => event.type === '@xstate.actor');
    expect(actors).toHaveLength(1);
    expect(actors[0]).toMatchObject({ name: 'toggle', sessionId: actor.sessionId });
    expect(received.every((event) => event.sessionId === actor.sessionId)).toBe(true);

    actor.stop();
    inspector.stop();
    await waitFor(() => server.clientCount === 1, 'the inspector to disconnect');
    await server.close();
    expect(server.clientCount).toBe(0);
  });

  it('relays each text message to every other client, never back to its sender', async () => {
    const server = await start();
    const a = await rawClient(server);
    const b = await rawClient(server);
    const c = await rawClient(server);
    expect(server.clientCount).toBe(3);

    a.write(clientFrame(0x1, Buffer.from('{"from":"a"}')));
    await waitFor(() => texts(b).length === 1 && texts(c).length === 1, 'b and c to get a’s message');
    b.write(clientFrame(0x1, Buffer.from('{"from":"b"}')));
    await waitFor(() => texts(a).length === 1 && texts(c).length === 2, 'a and c to get b’s message');

    expect(texts(a)).toEqual(['{"from":"b"}']);
    expect(texts(b)).toEqual(['{"from":"a"}']);
    expect(texts(c)).toEqual(['{"from":"a"}', '{"from":"b"}']);
  });

  it('send() broadcasts JSON to every client; close() closes them all, is idempotent, and later sends do nothing', async () => {
    const server = await start();
    const a = await rawClient(server);
    const received = receive(server);
    await waitFor(() => server.clientCount === 2, 'both clients to connect');

    server.send({ type: '@xstate.event', n: 1 });
    await waitFor(() => texts(a).length === 1 && received.length === 1, 'both clients to get the message');
    expect(JSON.parse(texts(a)[0] ?? '')).toEqual({ type: '@xstate.event', n: 1 });
    expect(received).toEqual([{ type: '@xstate.event', n: 1 }]);
    expect(() => server.send(undefined)).toThrow(RoomError);

    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;
    expect(a.closed()).toBe(true);
    expect(closeCodeIn(a.frames[1])).toBe(1001);
    expect(server.clientCount).toBe(0);
    expect(() => server.send({ late: true })).not.toThrow();
    expect(await accepts(server.host, server.port)).toBe(false);
  });

  it('send() refuses a message whose JSON is over maxMessageBytes (counted in UTF-8 bytes), and sends or keeps nothing of it', async () => {
    const server = await start({ maxMessageBytes: 200 });
    const viewer = await rawClient(server);
    const json200 = JSON.stringify('a'.repeat(198));
    server.send('a'.repeat(198));
    for (const message of ['b'.repeat(199), 'é'.repeat(100), { n: 'c'.repeat(200) }]) {
      expect(() => server.send(message)).toThrow(RoomError);
      expect(() => server.send(message)).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'message', message: expect.stringMatching(/maxMessageBytes is 200/) }),
      );
    }
    server.send({ after: true });
    await waitFor(() => texts(viewer).length === 2, 'the two messages sent');
    const late = await rawClient(server);
    await waitFor(() => texts(late).length === 2, 'the replay');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(texts(viewer)).toEqual([json200, '{"after":true}']);
    expect(texts(late)).toEqual([json200, '{"after":true}']);
  });
});

describe('replay', () => {
  it('a client connecting late gets the last `replay` messages, in order, before anything new', async () => {
    const server = await start({ replay: 3 });
    const sender = await rawClient(server);
    const early = await rawClient(server);
    for (const n of [1, 2, 3]) sender.write(clientFrame(0x1, Buffer.from(JSON.stringify({ n }))));
    await waitFor(() => texts(early).length === 3, 'the relayed messages');
    for (const n of [4, 5]) server.send({ n });

    const late = receive(server);
    await waitFor(() => late.length >= 3, 'the replay');
    server.send({ n: 'live' });
    await waitFor(() => late.length === 4, 'the live message');
    expect(late).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }, { n: 'live' }]);
  });

  it('relayed messages are replayed too; with replay 0 a late client gets only what comes after it', async () => {
    const server = await start({ replay: 0 });
    const sender = await rawClient(server);
    const early = await rawClient(server);
    sender.write(clientFrame(0x1, Buffer.from('{"n":1}')));
    server.send({ n: 2 });
    await waitFor(() => texts(early).length === 2, 'the early client to get both');

    const late = receive(server);
    await waitFor(() => server.clientCount === 3, 'the late client');
    server.send({ n: 'live' });
    await waitFor(() => late.length >= 1, 'the live message');
    expect(late).toEqual([{ n: 'live' }]);
  });

  it('keeps at most maxReplayBytes of messages: the oldest go first, the order stays', async () => {
    const server = await start({ maxReplayBytes: 100 });
    const message = (n: number) => ({ n, pad: 'p'.repeat(14) }); // {"n":N,"pad":"pp…"}: 30 bytes as JSON
    expect(Buffer.byteLength(JSON.stringify(message(1)))).toBe(30);
    const sender = await rawClient(server);
    const viewer = await rawClient(server);
    for (const n of [1, 2, 3]) server.send(message(n));
    sender.write(clientFrame(0x1, Buffer.from(JSON.stringify(message(4))))); // relayed ones count too
    await waitFor(() => texts(viewer).length === 4, 'the four messages');
    const late = await rawClient(server);
    // 4 × 30 = 120 > 100: the first one is dropped; 2, 3 and 4 (90 bytes) are kept.
    await waitFor(() => texts(late).length === 3, 'the replay');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(texts(late).map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([2, 3, 4]);

    // One message bigger than the whole budget is relayed but not kept, and drops nothing.
    server.send({ big: 'b'.repeat(100) });
    await waitFor(() => texts(late).length === 4, 'the big message');
    server.send(message(5)); // 3, 4, 5
    const later = await rawClient(server);
    await waitFor(() => texts(later).length === 3, 'the second replay');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(texts(later).map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([3, 4, 5]);
  });

  it('keeps relayed messages for replay by default', async () => {
    const server = await start();
    const sender = await rawClient(server);
    const early = await rawClient(server);
    sender.write(clientFrame(0x1, Buffer.from('{"n":1}')));
    await waitFor(() => texts(early).length === 1, 'the early client');
    const late = await rawClient(server);
    await waitFor(() => texts(late).length === 1, 'the replay');
    expect(texts(late)).toEqual(['{"n":1}']);
  });
});

const hasIpv6Loopback = await canListen('::1');
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && !address.internal && address.family === 'IPv4')?.address;

describe('loopback only', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', '10.0.0.1', '127.1', 'localhost.example.com'])(
    'refuses host %s before binding anything',
    async (host) => {
      const port = await freePort();
      const starting = startInspectorServer({ host, port });
      await expect(starting).rejects.toBeInstanceOf(RoomError);
      await expect(starting).rejects.toMatchObject({
        code: 'INVALID_PARAMETER',
        field: 'host',
        message: expect.stringMatching(/not a loopback address.*must stay on this machine/) as unknown,
      });
      expect(await accepts('127.0.0.1', port)).toBe(false);
    },
  );

  it('listens on 127.0.0.1 by default', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
  });

  it.skipIf(lanAddress === undefined)(`is not reachable on the machine's network address (${lanAddress})`, async () => {
    const server = await start();
    expect(await accepts(lanAddress ?? '', server.port)).toBe(false);
  });

  it('takes 127.0.0.1 and localhost (bound as 127.0.0.1)', async () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST']) {
      const server = await start({ host });
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
      expect((await upgrade(server)).status).toBe(101);
    }
  });

  it.skipIf(!hasIpv6Loopback)('takes ::1 (and [::1]), with a bracketed URL', async () => {
    for (const host of ['::1', '[::1]']) {
      const server = await start({ host });
      expect(server.host).toBe('::1');
      expect(server.url).toBe(`ws://[::1]:${server.port}`);
      expect(await accepts('::1', server.port)).toBe(true);
      expect(await accepts('127.0.0.1', server.port)).toBe(false);
      const received = receive(server);
      await waitFor(() => server.clientCount === 1, 'a receiver over ::1');
      server.send({ over: 'ipv6' });
      await waitFor(() => received.length === 1, 'the message over ::1');
    }
  });

  it('defaults to port 8080, where @statelyai/inspect connects by default (skipped if 8080 is taken)', async (context) => {
    if ((await accepts('127.0.0.1', 8080)) || (hasIpv6Loopback && (await accepts('::1', 8080)))) return context.skip();
    const server = await startInspectorServer();
    open.push(server);
    expect(server.port).toBe(8080);
    expect(server.url).toBe('ws://127.0.0.1:8080');
    const received: StatelyInspectionEvent[] = [];
    createWebSocketReceiver().subscribe((event) => received.push(event));
    await waitFor(() => server.clientCount === 1, 'a receiver on its default ws://localhost:8080');
    server.send({ hello: 'default' });
    await waitFor(() => received.length === 1, 'the message');
  });
});

describe('origins', () => {
  it('takes clients with no Origin and pages on localhost; refuses other pages with 403', async () => {
    const server = await start();
    expect((await upgrade(server)).status).toBe(101);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'https://[::1]:8443']) {
      expect((await upgrade(server, origin)).status, origin).toBe(101);
    }
    await waitFor(() => server.clientCount === 0, 'the accepted test sockets to go');

    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null', 'http://192.168.1.10:3000']) {
      const answer = await upgrade(server, origin);
      expect(answer.status, origin).toBe(403);
      expect(answer.body).toMatch(/may not read inspection events/);
      expect(server.clientCount).toBe(0);
    }
  });

  it('a refused page is never sent anything, not even the replay', async () => {
    const server = await start();
    server.send({ secret: 'session' });
    const answer = await upgrade(server, 'https://evil.example');
    expect(answer.status).toBe(403);
    expect(answer.body).not.toMatch(/secret/);
  });

  it('allowedOrigins is the whole list of pages allowed', async () => {
    const server = await start({ allowedOrigins: ['https://app.example'] });
    expect((await upgrade(server, 'https://app.example')).status).toBe(101);
    expect((await upgrade(server)).status).toBe(101);
    expect((await upgrade(server, 'https://app.example.evil')).status).toBe(403);
    expect((await upgrade(server, 'http://localhost:3000')).status).toBe(403);
  });

  it('answers plain HTTP with 426 and a short text saying what this is', async () => {
    const server = await start();
    const answer = await new Promise<UpgradeAnswer>((resolve, reject) => {
      request({ host: server.host, port: server.port }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      })
        .once('error', reject)
        .end();
    });
    expect(answer.status).toBe(426);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.body).toMatch(/WebSocket endpoint for XState inspection/);
  });
});

describe('framing', () => {
  it('answers ping with pong, carrying its payload', async () => {
    const server = await start();
    const client = await rawClient(server);
    client.write(clientFrame(0x9, Buffer.from('are you there')));
    await waitFor(() => client.frames.length === 1, 'the pong');
    expect(client.frames[0]?.opcode).toBe(0xa);
    expect(client.frames[0]?.payload.toString()).toBe('are you there');
    expect(client.closed()).toBe(false);
  });

  it('answers close with close (echoing the code) and hangs up', async () => {
    const server = await start();
    const client = await rawClient(server);
    const status = Buffer.alloc(2);
    status.writeUInt16BE(1000);
    client.write(clientFrame(0x8, status));
    await expectClosedWith(client, 1000);
    expect(server.clientCount).toBe(0);
  });

  it('relays a message of exactly maxMessageBytes; one byte more closes its sender with 1009', async () => {
    const server = await start({ maxMessageBytes: 200 });
    const sender = await rawClient(server);
    const viewer = await rawClient(server);
    const json200 = JSON.stringify('a'.repeat(198));
    expect(Buffer.byteLength(json200)).toBe(200);
    sender.write(clientFrame(0x1, Buffer.from(json200)));
    await waitFor(() => texts(viewer).length === 1, 'the 200-byte message');
    sender.write(clientFrame(0x1, Buffer.from(JSON.stringify('b'.repeat(199)))));
    await expectClosedWith(sender, 1009);
    expect(texts(viewer)).toEqual([json200]);
    expect(viewer.closed()).toBe(false);
  });

  it('closes with 1009 on the header alone, without waiting for a huge payload', async () => {
    const server = await start();
    const client = await rawClient(server);
    const header = Buffer.alloc(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(1024 ** 3), 2);
    client.write(header);
    await expectClosedWith(client, 1009);
  });

  it('closes with 1003 on a binary frame, and on a fragmented message', async () => {
    const server = await start();
    const binary = await rawClient(server);
    binary.write(clientFrame(0x2, Buffer.from([1, 2, 3])));
    await expectClosedWith(binary, 1003);

    const fragmented = await rawClient(server);
    fragmented.write(clientFrame(0x1, Buffer.from('{"par'), { fin: false }));
    await expectClosedWith(fragmented, 1003);
    expect(server.clientCount).toBe(0);
  });

  it('closes with 1002 on a control frame over 125 bytes or fragmented (RFC 6455 5.5); a 125-byte ping is answered', async () => {
    const server = await start();
    const within = await rawClient(server);
    within.write(clientFrame(0x9, Buffer.alloc(125, 0x61)));
    await waitFor(() => within.frames.length === 1, 'the pong');
    expect(within.frames[0]?.opcode).toBe(0xa);
    expect(within.frames[0]?.payload.length).toBe(125);

    const ping126 = await rawClient(server);
    ping126.write(clientFrame(0x9, Buffer.alloc(126, 0x61)));
    await expectClosedWith(ping126, 1002);

    const longPong = await rawClient(server);
    longPong.write(clientFrame(0xa, Buffer.alloc(200, 0x61)));
    await expectClosedWith(longPong, 1002);

    // A ping declaring 1 MiB is refused on its header alone.
    const declared = await rawClient(server);
    const header = Buffer.alloc(14);
    header[0] = 0x89;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(1024 ** 2), 2);
    declared.write(header);
    await expectClosedWith(declared, 1002);

    const fragmented = await rawClient(server);
    fragmented.write(clientFrame(0x9, Buffer.from('hi'), { fin: false }));
    await expectClosedWith(fragmented, 1002);
    expect(server.clientCount).toBe(1);
  });

  it('closes with 1002 on an unmasked client frame', async () => {
    const server = await start();
    const unmasked = await rawClient(server);
    unmasked.write(clientFrame(0x1, Buffer.from('{}'), { masked: false }));
    await expectClosedWith(unmasked, 1002);
  });

  it('closes with 1007 on text that is not UTF-8 or not JSON, and relays none of it', async () => {
    const server = await start();
    const viewer = await rawClient(server);
    const garbled = await rawClient(server);
    garbled.write(clientFrame(0x1, Buffer.from([0x22, 0xff, 0x22])));
    await expectClosedWith(garbled, 1007);

    // A createWebSocketReceiver in Node would die of it: it JSON.parses every message unguarded.
    const notJson = await rawClient(server);
    notJson.write(clientFrame(0x1, Buffer.from('not json')));
    await expectClosedWith(notJson, 1007);
    server.send({ after: true });
    await waitFor(() => texts(viewer).length === 1, 'the message after');
    expect(texts(viewer)).toEqual(['{"after":true}']);
  });

  it('parses frames split across TCP writes, and several in one write', async () => {
    const server = await start();
    const sender = await rawClient(server);
    const viewer = await rawClient(server);
    const long = JSON.stringify('x'.repeat(300));
    const bytes = Buffer.concat([clientFrame(0x1, Buffer.from(long)), clientFrame(0x1, Buffer.from('{"n":2}'))]);
    for (let i = 0; i < bytes.length; i += 7) {
      sender.write(bytes.subarray(i, i + 7));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    sender.write(Buffer.concat([clientFrame(0x1, Buffer.from('3')), clientFrame(0x1, Buffer.from('4'))]));
    await waitFor(() => texts(viewer).length === 4, 'four messages');
    expect(texts(viewer)).toEqual([long, '{"n":2}', '3', '4']);
  });
});

describe('slow viewers', () => {
  it('a client that stops reading is closed with 1008 once over maxBufferedBytes, and cut off if it does not go; the others keep getting messages', async () => {
    const maxBufferedBytes = 1024 * 1024;
    const server = await start({ maxBufferedBytes, replay: 0 });
    const stalled = await rawClient(server); // resumes once closed: gets the close frame
    const gone = await rawClient(server); // never reads again: the server has to cut it off
    const viewer = await rawClient(server);
    stalled.pause();
    gone.pause();

    // Batches of 7 × 128 KiB (under maxBufferedBytes), each read by the viewer before the next:
    // only the stalled clients fall behind, until the kernel's socket buffers are full too.
    const pad = 'x'.repeat(128 * 1024);
    let sent = 0;
    while (server.clientCount === 3 && sent < 7 * 200) {
      for (let i = 0; i < 7; i += 1) server.send({ n: (sent += 1), pad });
      await waitFor(() => texts(viewer).length === sent, 'the viewer to read the batch');
    }
    await waitFor(() => server.clientCount === 1, 'both stalled clients to be closed');
    expect(viewer.closed()).toBe(false);

    stalled.resume();
    await waitFor(() => stalled.closed(), 'the stalled client to read up to the close frame');
    expect(closeCodeIn(stalled.frames.at(-1))).toBe(1008);
    expect(texts(stalled).length).toBeLessThan(sent);

    server.send({ after: true });
    await waitFor(() => texts(viewer).length === sent + 1, 'the viewer to get the next message');
    expect(texts(viewer).at(-1)).toBe('{"after":true}');
    expect(viewer.closed()).toBe(false);

    // close() resolves once every socket is gone: the one that never read is destroyed after its grace period.
    await server.close();
    expect(gone.closed()).toBe(false); // still paused: it never even saw the close
  });
});

describe('options', () => {
  const refused: Array<[string, InspectorServerOptions, string]> = [
    ['port -1', { port: -1 }, 'port'],
    ['port 70000', { port: 70000 }, 'port'],
    ['port 1.5', { port: 1.5 }, 'port'],
    ['port NaN', { port: Number.NaN }, 'port'],
    ['replay -1', { replay: -1 }, 'replay'],
    ['replay 2.5', { replay: 2.5 }, 'replay'],
    ['maxMessageBytes -1', { maxMessageBytes: -1 }, 'maxMessageBytes'],
    ['maxReplayBytes -1', { maxReplayBytes: -1 }, 'maxReplayBytes'],
    ['maxReplayBytes 0.5', { maxReplayBytes: 0.5 }, 'maxReplayBytes'],
    ['maxBufferedBytes -1', { maxBufferedBytes: -1 }, 'maxBufferedBytes'],
    ['maxBufferedBytes Infinity', { maxBufferedBytes: Number.POSITIVE_INFINITY }, 'maxBufferedBytes'],
    ['an origin with a trailing slash', { allowedOrigins: ['http://localhost:5173/'] }, 'allowedOrigins'],
    ['an origin that is a bare host', { allowedOrigins: ['app.example'] }, 'allowedOrigins'],
  ];
  it.each(refused)('refuses %s with INVALID_PARAMETER naming the field', async (_, options, field) => {
    const starting = startInspectorServer(options);
    await expect(starting).rejects.toBeInstanceOf(RoomError);
    await expect(starting).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field });
  });

  it('rejects with the listen error when the port is taken', async () => {
    const first = await start();
    await expect(startInspectorServer({ port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
