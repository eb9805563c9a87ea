import type { Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { clientFrame, closeAll, connectPeer, pause, rawSocket, startServer, upgrade, waitFor } from './support/inspector-server.js';

// Collecting garbage before each reading leaves only what is still held.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;
const CLIENTS = 100;
const MAX_MESSAGE_BYTES = MiB; // the default
/** Everything else the process allocates meanwhile: the clients' side, ws's bookkeeping, timers. */
const SLACK = 16 * MiB;
/** What 100 clients may make the server hold for their unfinished messages: 100 × maxMessageBytes, plus slack. */
const BOUND = CLIENTS * MAX_MESSAGE_BYTES + SLACK;

const clientFrameOf = (text: string) => clientFrame(0x1, Buffer.from(text));

const arrayBuffers = () => {
  gc();
  return process.memoryUsage().arrayBuffers;
};

/**
 * What is still held: V8 frees collected buffers on a background thread, so a reading just after
 * gc() can still count some of them. Read until two readings 20 ms apart agree within 256 KiB (2 s at most).
 */
async function heldBytes(): Promise<number> {
  const deadline = Date.now() + 2_000;
  let last = arrayBuffers();
  for (;;) {
    await pause(20);
    const now = arrayBuffers();
    if (Math.abs(now - last) < 256 * 1024 || Date.now() > deadline) return now;
    last = now;
  }
}

const attackers: Socket[] = [];
afterEach(async () => {
  for (const socket of attackers.splice(0)) socket.destroy();
  await closeAll();
});

/** The header of a masked text frame declaring `length` payload bytes, with a zero mask: the payload goes as it is. */
function textFrameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header; // bytes 10-13, the mask, stay zero
}

/** Starts a server for CLIENTS attackers and two well-behaved clients; connects them all. */
async function crowd() {
  const server = await startServer({ maxClients: CLIENTS + 2, maxMessageBytes: MAX_MESSAGE_BYTES });
  for (let i = 0; i < CLIENTS; i += 1) attackers.push(await rawSocket(server));
  const sender = await connectPeer(server.url);
  const viewer = await connectPeer(server.url);
  // Past maxClients: refused before the upgrade, so each could hold nothing.
  for (let i = 0; i < 20; i += 1) expect((await upgrade(server)).status).toBe(503);
  return { server, sender, viewer };
}

const sent = () => waitFor(() => attackers.every((socket) => socket.writableLength === 0), 'the clients to hand every byte to the kernel', 8_000);

describe('bytes held for unfinished messages', () => {
  it(`${CLIENTS} clients each 1 MiB into a message that never ends make the process hold under ${BOUND / MiB} MiB; the relay goes on`, async () => {
    const { server, sender, viewer } = await crowd();
    const before = await heldBytes();
    const rssBefore = process.memoryUsage().rss;
    const almostAll = Buffer.alloc(MAX_MESSAGE_BYTES - 1, 0x20); // one buffer for all: the clients' side adds 1 MiB, not 100
    for (const socket of attackers) {
      socket.write(textFrameHeader(MAX_MESSAGE_BYTES));
      socket.write(almostAll);
    }
    await sent();
    // The server holds what it read: it grows to about 100 MiB (so the test measures what it
    // means to), and no further.
    await waitFor(() => arrayBuffers() - before > 0.9 * CLIENTS * MAX_MESSAGE_BYTES, 'the server to read the unfinished messages', 8_000);
    await pause(100);
    const grown = (await heldBytes()) - before;
    const rssGrown = process.memoryUsage().rss - rssBefore;
    console.info(`held ${(grown / MiB).toFixed(1)} MiB (rss +${(rssGrown / MiB).toFixed(1)} MiB) for ${CLIENTS} unfinished messages; bound ${BOUND / MiB} MiB`);
    expect(grown).toBeLessThan(BOUND);

    sender.ws.send('{"still":"relayed"}');
    await waitFor(() => viewer.texts.length === 1, 'the viewer to get the message');
    expect(viewer.texts).toEqual(['{"still":"relayed"}']);
    expect(server.clientCount).toBe(CLIENTS + 2);
  }, 15_000);

  it(`${CLIENTS} clients each declaring 64 MiB and sending 4 MiB are closed on the header: the process holds under ${SLACK / MiB} MiB of it`, async () => {
    const { server, sender, viewer } = await crowd();
    const before = await heldBytes();
    const chunk = Buffer.alloc(4 * MiB, 0x20);
    for (const socket of attackers) {
      socket.write(textFrameHeader(64 * MiB));
      socket.write(chunk);
    }
    await waitFor(() => server.clientCount === 2, 'the server to close every attacker', 8_000);
    await waitFor(() => attackers.every((socket) => socket.destroyed), 'the attackers to see it', 8_000);
    const grown = (await heldBytes()) - before;
    console.info(`held ${(grown / MiB).toFixed(1)} MiB after ${CLIENTS} over-long frames (ws's default maxPayload would have kept 400 MiB)`);
    expect(grown).toBeLessThan(SLACK);

    sender.ws.send('{"still":"relayed"}');
    await waitFor(() => viewer.texts.length === 1, 'the viewer to get the message');
  }, 15_000);

  it('the replay holds the bytes it counts, not the socket chunks its messages were read from', async () => {
    const server = await startServer({ maxReplayBytes: 64 * 1024 });
    const sender = await connectPeer(server.url);
    const before = await heldBytes();
    const padding = JSON.stringify('p'.repeat(100 * 1024)); // relayed, never kept: over maxReplayBytes
    for (let n = 0; n < 200; n += 1) {
      // One write, so one chunk on the server: the small message is read as a slice of 100 KiB.
      sender.write(Buffer.concat([clientFrameOf(`{"n":${n}}`), clientFrameOf(padding)]));
      await pause(1);
    }
    const late = await connectPeer(server.url);
    await waitFor(() => late.texts.length === 200, 'the replay of the 200 small messages');
    const grown = (await heldBytes()) - before;
    console.info(`replay of 200 small messages holds ${(grown / 1024).toFixed(0)} KiB`);
    expect(grown).toBeLessThan(MiB); // 200 slices of 100 KiB chunks would hold 20 MiB
  });
});
