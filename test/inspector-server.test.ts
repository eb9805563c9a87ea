import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import type { InspectorServer } from '../src/inspect/server.js';
import { createStatelyWebSocketInspector } from '../src/inspect/stately.js';
import { RoomError } from '../src/errors.js';
import { accepts, clientFrame, closeAll, connectPeer, pause, receive, startServer as start, waitFor } from './support/inspector-server.js';
import type { Peer } from './support/inspector-server.js';

afterEach(closeAll);

const peer = (server: InspectorServer) => connectPeer(server.url);

async function expectClosedWith(client: Peer, code: number): Promise<void> {
  await waitFor(() => client.closed(), `the server to close the connection with ${code}`);
  expect(client.closeCode()).toBe(code);
  expect(client.texts).toEqual([]);
}

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

  it("createStatelyWebSocketInspector({ url: server.url }) reaches a receiver through the server's token", async () => {
    const server = await start();
    const received = receive(server);
    await waitFor(() => server.clientCount === 1, 'the receiver to connect');
    const inspector = await createStatelyWebSocketInspector({ url: server.url });
    await waitFor(() => server.clientCount === 2, 'the inspector to connect');

    const actor = createActor(toggle, { inspect: inspector.inspect });
    actor.start();
    actor.send({ type: 'TOGGLE' });
    const snapshots = () => received.filter((event) => event.type === '@xstate.snapshot');
    await waitFor(() => snapshots().length === 2, 'two snapshots');
    expect(snapshots().map((event) => (event.snapshot as { value?: unknown }).value)).toEqual(['off', 'on']);
    actor.stop();
    inspector.stop();
  });

  it('relays each text message to every other client, never back to its sender', async () => {
    const server = await start();
    const a = await peer(server);
    const b = await peer(server);
    const c = await peer(server);
    expect(server.clientCount).toBe(3);

    a.ws.send('{"from":"a"}');
    await waitFor(() => b.texts.length === 1 && c.texts.length === 1, 'b and c to get a’s message');
    b.ws.send('{"from":"b"}');
    await waitFor(() => a.texts.length === 1 && c.texts.length === 2, 'a and c to get b’s message');

    expect(a.texts).toEqual(['{"from":"b"}']);
    expect(b.texts).toEqual(['{"from":"a"}']);
    expect(c.texts).toEqual(['{"from":"a"}', '{"from":"b"}']);
  });

  it('send() broadcasts JSON to every client; close() closes them all, is idempotent, and later sends do nothing', async () => {
    const server = await start();
    const a = await peer(server);
    const received = receive(server);
    await waitFor(() => server.clientCount === 2, 'both clients to connect');

    server.send({ type: '@xstate.event', n: 1 });
    await waitFor(() => a.texts.length === 1 && received.length === 1, 'both clients to get the message');
    expect(JSON.parse(a.texts[0] ?? '')).toEqual({ type: '@xstate.event', n: 1 });
    expect(received).toEqual([{ type: '@xstate.event', n: 1 }]);

    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;
    await waitFor(() => a.closed(), 'the client to see the close');
    expect(a.closeCode()).toBe(1001);
    expect(server.clientCount).toBe(0);
    expect(() => server.send({ late: true })).not.toThrow();
    expect(() => server.send(10n)).not.toThrow();
    expect(await accepts(server.host, server.port)).toBe(false);
  });

  it('send() refuses a message whose JSON is over maxMessageBytes (counted in UTF-8 bytes), and sends or keeps nothing of it', async () => {
    const server = await start({ maxMessageBytes: 200 });
    const viewer = await peer(server);
    const json200 = JSON.stringify('a'.repeat(198));
    server.send('a'.repeat(198));
    for (const message of ['b'.repeat(199), 'é'.repeat(100), { n: 'c'.repeat(200) }]) {
      expect(() => server.send(message)).toThrow(RoomError);
      expect(() => server.send(message)).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'message', message: expect.stringMatching(/maxMessageBytes is 200/) }),
      );
    }
    server.send({ after: true });
    await waitFor(() => viewer.texts.length === 2, 'the two messages sent');
    const late = await peer(server);
    await waitFor(() => late.texts.length === 2, 'the replay');
    await pause(20);
    expect(viewer.texts).toEqual([json200, '{"after":true}']);
    expect(late.texts).toEqual([json200, '{"after":true}']);
  });

  it('send() refuses what is not a JSON value with INVALID_PARAMETER, never a raw TypeError, and sends nothing of it', async () => {
    const server = await start();
    const viewer = await peer(server);
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const throwingToJson = { toJSON: () => { throw new Error('no JSON for you'); } };
    const notJson: Array<[string, unknown, RegExp]> = [
      ['a BigInt', 10n, /could not turn the message into JSON.*BigInt/],
      ['a BigInt inside an object', { n: 10n }, /could not turn the message into JSON.*BigInt/],
      ['a circular object', circular, /could not turn the message into JSON.*circular/],
      ['a throwing toJSON', throwingToJson, /could not turn the message into JSON: no JSON for you/],
      ['undefined', undefined, /needs a JSON value; got undefined/],
      ['a function', () => 1, /needs a JSON value; got function/],
      ['a symbol', Symbol('s'), /needs a JSON value; got symbol/],
    ];
    for (const [what, message, text] of notJson) {
      let thrown: unknown;
      try {
        server.send(message);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, what).toBeInstanceOf(RoomError);
      expect(thrown, what).toMatchObject({ code: 'INVALID_PARAMETER', field: 'message', message: expect.stringMatching(text) });
    }
    server.send({ after: true });
    await waitFor(() => viewer.texts.length === 1, 'the message after');
    await pause(20);
    expect(viewer.texts).toEqual(['{"after":true}']);
  });
});

describe('replay', () => {
  it('a client connecting late gets the last `replay` messages, in order, before anything new', async () => {
    const server = await start({ replay: 3 });
    const sender = await peer(server);
    const early = await peer(server);
    for (const n of [1, 2, 3]) sender.ws.send(JSON.stringify({ n }));
    await waitFor(() => early.texts.length === 3, 'the relayed messages');
    for (const n of [4, 5]) server.send({ n });

    const late = receive(server);
    await waitFor(() => late.length >= 3, 'the replay');
    server.send({ n: 'live' });
    await waitFor(() => late.length === 4, 'the live message');
    expect(late).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }, { n: 'live' }]);
  });

  it('relayed messages are replayed too; with replay 0 a late client gets only what comes after it', async () => {
    const server = await start({ replay: 0 });
    const sender = await peer(server);
    const early = await peer(server);
    sender.ws.send('{"n":1}');
    server.send({ n: 2 });
    await waitFor(() => early.texts.length === 2, 'the early client to get both');

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
    const sender = await peer(server);
    const viewer = await peer(server);
    for (const n of [1, 2, 3]) server.send(message(n));
    sender.ws.send(JSON.stringify(message(4))); // relayed ones count too
    await waitFor(() => viewer.texts.length === 4, 'the four messages');
    const late = await peer(server);
    // 4 × 30 = 120 > 100: the first one is dropped; 2, 3 and 4 (90 bytes) are kept.
    await waitFor(() => late.texts.length === 3, 'the replay');
    await pause(20);
    expect(late.texts.map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([2, 3, 4]);

    // One message bigger than the whole budget is relayed but not kept, and drops nothing.
    server.send({ big: 'b'.repeat(100) });
    await waitFor(() => late.texts.length === 4, 'the big message');
    server.send(message(5)); // 3, 4, 5
    const later = await peer(server);
    await waitFor(() => later.texts.length === 3, 'the second replay');
    await pause(20);
    expect(later.texts.map((text) => (JSON.parse(text) as { n: number }).n)).toEqual([3, 4, 5]);
  });

  it('keeps relayed messages for replay by default', async () => {
    const server = await start();
    const sender = await peer(server);
    const early = await peer(server);
    sender.ws.send('{"n":1}');
    await waitFor(() => early.texts.length === 1, 'the early client');
    const late = await peer(server);
    await waitFor(() => late.texts.length === 1, 'the replay');
    expect(late.texts).toEqual(['{"n":1}']);
  });
});

function declaredFrameHeader(opcode: number, length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

describe('framing', () => {
  it('answers ping with pong, carrying its payload', async () => {
    const server = await start();
    const client = await peer(server);
    client.ws.ping('are you there');
    await waitFor(() => client.pongs.length === 1, 'the pong');
    expect(client.pongs[0]?.toString()).toBe('are you there');
    expect(client.closed()).toBe(false);
  });

  it('answers close with close (echoing the code) and hangs up', async () => {
    const server = await start();
    const client = await peer(server);
    client.ws.close(4000);
    await expectClosedWith(client, 4000);
    await waitFor(() => server.clientCount === 0, 'the server to let the client go');
  });

  it('relays a message of exactly maxMessageBytes; one byte more closes its sender with 1009', async () => {
    const server = await start({ maxMessageBytes: 200 });
    const sender = await peer(server);
    const viewer = await peer(server);
    const json200 = JSON.stringify('a'.repeat(198));
    expect(Buffer.byteLength(json200)).toBe(200);
    sender.ws.send(json200);
    await waitFor(() => viewer.texts.length === 1, 'the 200-byte message');
    sender.ws.send(JSON.stringify('b'.repeat(199)));
    await waitFor(() => sender.closed(), 'the sender to be closed');
    expect(sender.closeCode()).toBe(1009);
    expect(viewer.texts).toEqual([json200]);
    expect(viewer.closed()).toBe(false);
  });

  it('closes with 1009 on the header alone, without waiting for a huge payload', async () => {
    const server = await start();
    const client = await peer(server);
    client.write(declaredFrameHeader(0x1, 1024 ** 3));
    await expectClosedWith(client, 1009);
  });

  it('closes with 1003 on a binary message', async () => {
    const server = await start();
    const binary = await peer(server);
    binary.ws.send(Buffer.from([1, 2, 3]));
    await expectClosedWith(binary, 1003);
    await waitFor(() => server.clientCount === 0, 'the server to let the client go');
  });

  it('relays a fragmented message whole; its fragments count together against maxMessageBytes', async () => {
    const server = await start({ maxMessageBytes: 200 });
    const sender = await peer(server);
    const viewer = await peer(server);
    sender.ws.send('{"par', { fin: false });
    sender.ws.send('t":1}', { fin: true });
    await waitFor(() => viewer.texts.length === 1, 'the whole message');
    expect(viewer.texts).toEqual(['{"part":1}']);

    sender.ws.send(`"${'a'.repeat(149)}`, { fin: false });
    sender.ws.send(`${'a'.repeat(50)}"`, { fin: false }); // 150 + 51 bytes
    await waitFor(() => sender.closed(), 'the sender to be closed');
    expect(sender.closeCode()).toBe(1009);
    expect(viewer.texts).toEqual(['{"part":1}']);
  });

  it('closes with 1002 on a control frame over 125 bytes or fragmented (RFC 6455 5.5); a 125-byte ping is answered', async () => {
    const server = await start();
    const within = await peer(server);
    within.ws.ping(Buffer.alloc(125, 0x61));
    await waitFor(() => within.pongs.length === 1, 'the pong');
    expect(within.pongs[0]?.length).toBe(125);

    const ping126 = await peer(server);
    ping126.write(clientFrame(0x9, Buffer.alloc(126, 0x61)));
    await expectClosedWith(ping126, 1002);

    const longPong = await peer(server);
    longPong.write(clientFrame(0xa, Buffer.alloc(200, 0x61)));
    await expectClosedWith(longPong, 1002);

    // A ping declaring 1 MiB is refused on its header alone.
    const declared = await peer(server);
    declared.write(declaredFrameHeader(0x9, 1024 ** 2));
    await expectClosedWith(declared, 1002);

    const fragmented = await peer(server);
    fragmented.write(clientFrame(0x9, Buffer.from('hi'), { fin: false }));
    await expectClosedWith(fragmented, 1002);
    await waitFor(() => server.clientCount === 1, 'the server to let them go');
  });

  it('closes with 1002 on an unmasked client frame', async () => {
    const server = await start();
    const unmasked = await peer(server);
    unmasked.write(clientFrame(0x1, Buffer.from('{}'), { masked: false }));
    await expectClosedWith(unmasked, 1002);
  });

  it('closes with 1007 on text that is not UTF-8 or not JSON, and relays none of it', async () => {
    const server = await start();
    const viewer = await peer(server);
    const garbled = await peer(server);
    garbled.ws.send(Buffer.from([0x22, 0xff, 0x22]), { binary: false });
    await expectClosedWith(garbled, 1007);

    // A createWebSocketReceiver in Node would die of it: it JSON.parses every message unguarded.
    const notJson = await peer(server);
    notJson.ws.send('not json');
    await expectClosedWith(notJson, 1007);
    server.send({ after: true });
    await waitFor(() => viewer.texts.length === 1, 'the message after');
    expect(viewer.texts).toEqual(['{"after":true}']);
  });

  it('a client closed for bad text relays nothing it sends after, however much: one hang-up each', async () => {
    const server = await start();
    const viewer = await peer(server);
    const flooder = await peer(server);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      // In one write: ws hands these over while the client is closing.
      flooder.ws.send('not json');
      for (let i = 0; i < 50; i += 1) flooder.ws.send(i % 2 ? 'still not json' : JSON.stringify({ sneaked: i }));
      await expectClosedWith(flooder, 1007);
      server.send({ after: true });
      await waitFor(() => viewer.texts.length === 1, 'the message after');
      expect(viewer.texts).toEqual(['{"after":true}']);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('parses frames split across TCP writes, and several in one write', async () => {
    const server = await start();
    const sender = await peer(server);
    const viewer = await peer(server);
    const long = JSON.stringify('x'.repeat(300));
    const bytes = Buffer.concat([clientFrame(0x1, Buffer.from(long)), clientFrame(0x1, Buffer.from('{"n":2}'))]);
    for (let i = 0; i < bytes.length; i += 7) {
      sender.write(bytes.subarray(i, i + 7));
      await pause(1);
    }
    sender.write(Buffer.concat([clientFrame(0x1, Buffer.from('3')), clientFrame(0x1, Buffer.from('4'))]));
    await waitFor(() => viewer.texts.length === 4, 'four messages');
    expect(viewer.texts).toEqual([long, '{"n":2}', '3', '4']);
  });
});

describe('slow viewers', () => {
  it('a client that stops reading is closed with 1008 once over maxBufferedBytes, and cut off if it does not go; the others keep getting messages', async () => {
    const maxBufferedBytes = 1024 * 1024;
    const server = await start({ maxBufferedBytes, replay: 0 });
    const stalled = await peer(server); // resumes once closed: gets the close frame
    const gone = await peer(server); // never reads again: the server has to cut it off
    const viewer = await peer(server);
    stalled.ws.pause();
    gone.ws.pause();

    // Batches of 7 × 128 KiB (under maxBufferedBytes), each read by the viewer before the next:
    // only the stalled clients fall behind, until the kernel's socket buffers are full too.
    const pad = 'x'.repeat(128 * 1024);
    let sent = 0;
    while (server.clientCount === 3 && sent < 7 * 200) {
      for (let i = 0; i < 7; i += 1) server.send({ n: (sent += 1), pad });
      await waitFor(() => viewer.texts.length === sent, 'the viewer to read the batch');
    }
    await waitFor(() => server.clientCount === 1, 'both stalled clients to be closed');
    expect(viewer.closed()).toBe(false);

    stalled.ws.resume();
    await waitFor(() => stalled.closed(), 'the stalled client to read up to the close frame');
    expect(stalled.closeCode()).toBe(1008);
    expect(stalled.texts.length).toBeLessThan(sent);

    server.send({ after: true });
    await waitFor(() => viewer.texts.length === sent + 1, 'the viewer to get the next message');
    expect(viewer.texts.at(-1)).toBe('{"after":true}');
    expect(viewer.closed()).toBe(false);

    // close() resolves once every socket is gone: the one that never read is destroyed after its grace period.
    await server.close();
    expect(gone.closed()).toBe(false); // still paused: it never even saw the close
  });
});
