import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRoomController } from '../src/index.js';
import type { DuplicateUserMode, RoomController } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { SimulatedClient } from '../src/adapters/simulator/index.js';

const ROOM = { sdkAppId: 1400000000, roomId: 8888 };
/** BroadcastChannel messages arrive in a later task. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 20));

let rooms: RoomController[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(rooms.map((room) => room.destroy()));
  rooms = [];
});

/** A tab's controller for `userId`, with what it emitted and the SDK calls its instances got. */
function tab(cloud: SimulatedCloud, userId: string, duplicateUser?: DuplicateUserMode) {
  const clients: SimulatedClient[] = [];
  const room = createRoomController({
    trtc: () => {
      const client = cloud.createClient();
      clients.push(client);
      return client;
    },
    ...(duplicateUser ? { duplicateUser } : {}),
  });
  rooms.push(room);
  const heard: string[] = [];
  room.on('duplicateUser', (event) => heard.push(`duplicateUser ${event.userId} ${event.roomId}`));
  room.onSdkCall((call) => call.status === 'pending' && call.method === 'enterRoom' && heard.push('enterRoom'));
  const sdkCalls = () => clients.flatMap((client) => client.calls.filter((call) => call.phase === 'call' && call.method !== 'on' && call.method !== 'off'));
  return { room, heard, sdkCalls, enter: () => room.enter({ ...ROOM, userId, userSig: `sig-${userId}` }) };
}

describe('the same user in the same room from two tabs of one browser', () => {
  it("'refuse': the second enter() rejects DUPLICATE_USER with no SDK call, and the first stays in", async () => {
    const cloud = new SimulatedCloud();
    const first = tab(cloud, 'refuse-1');
    const second = tab(cloud, 'refuse-1', 'refuse');
    await first.enter();
    await delivered();
    await expect(second.enter()).rejects.toMatchObject({ name: 'RoomError', code: 'DUPLICATE_USER', message: expect.stringContaining('room 8888') });
    expect(second.sdkCalls()).toEqual([]);
    expect(second.room.view().state).toBe('idle');
    expect(first.room.view().state).toBe('inRoom');
  });

  it("'warn' (the default): both emit duplicateUser, the newcomer before its enterRoom; then TRTC kicks the first (kick)", async () => {
    // The server's kick takes a round trip; the tabs hear each other sooner.
    const cloud = new SimulatedCloud({ latencyMs: 50 });
    const first = tab(cloud, 'warn-1');
    const second = tab(cloud, 'warn-1');
    await first.enter();
    await delivered();
    await second.enter();
    await delivered();
    await cloud.flush();
    expect(second.heard).toEqual(['duplicateUser warn-1 8888', 'enterRoom']);
    expect(first.heard).toEqual(['enterRoom', 'duplicateUser warn-1 8888']);
    expect(first.room.view()).toMatchObject({ state: 'kicked', kickReason: 'kick' });
  });

  it('a controller that exits, or is destroyed, lets its claim go', async () => {
    const cloud = new SimulatedCloud();
    const first = tab(cloud, 'release-1');
    const second = tab(cloud, 'release-1', 'refuse');
    await first.enter();
    await first.room.exit();
    await delivered();
    await second.enter();
    expect(second.room.view().state).toBe('inRoom');
    await second.room.destroy();
    await delivered();
    await first.enter();
    expect(first.room.view().state).toBe('inRoom');
  });

  it('a claim left by a page that vanished (no heartbeat) expires', async () => {
    const cloud = new SimulatedCloud();
    const next = tab(cloud, 'gone-1', 'refuse');
    const vanished = new BroadcastChannel('trtc-room-machine.presence');
    const key = JSON.stringify([ROOM.sdkAppId, ROOM.roomId, 'gone-1']);
    vanished.postMessage({ type: 'claim', id: 'vanished-page', key, fresh: true });
    vanished.close();
    await delivered();
    await expect(next.enter()).rejects.toMatchObject({ code: 'DUPLICATE_USER' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7_000);
    await next.enter();
    expect(next.room.view().state).toBe('inRoom');
  });

  it("'allow', other users and other rooms: nothing is said", async () => {
    const cloud = new SimulatedCloud();
    const alice = tab(cloud, 'allow-1');
    const bob = tab(cloud, 'allow-2');
    const again = tab(cloud, 'allow-1', 'allow');
    await alice.enter();
    await bob.enter();
    await delivered();
    await again.enter();
    await delivered();
    expect(bob.heard).toEqual(['enterRoom']);
    expect(again.heard).toEqual(['enterRoom']);
  });

  it('duplicateUser must be allow, warn or refuse', () => {
    const cloud = new SimulatedCloud();
    expect(() => createRoomController({ trtc: () => cloud.createClient(), duplicateUser: 'kick' as DuplicateUserMode })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'duplicateUser' }),
    );
  });
});
