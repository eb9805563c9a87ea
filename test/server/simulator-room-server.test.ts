import { describe, expect, it } from 'vitest';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import type { SimulatedClient } from 'trtc-room-machine/simulator';

const APP = 1400000001;

async function member(cloud: SimulatedCloud, userId: string, room: { roomId: number } | { strRoomId: string }, sdkAppId = APP) {
  const client = cloud.createClient();
  const kicks: string[] = [];
  client.on('kicked-out', (event: { reason: string }) => kicks.push(event.reason));
  await client.enterRoom({ sdkAppId, userId, userSig: 'any', ...room });
  return { client, kicks };
}

const stateOf = (client: SimulatedClient) => client.state;

describe("SimulatedCloud's RoomServer methods (the shape of createRoomServer's)", () => {
  it('removeUser({ strRoomId, userIds }) for the cloud\'s app: a RequestId at once, the kick after the latency', async () => {
    const cloud = new SimulatedCloud({ sdkAppId: APP, latencyMs: 20 });
    const alice = await member(cloud, 'alice', { strRoomId: 'lobby' });
    const bob = await member(cloud, 'bob', { strRoomId: 'lobby' });

    await expect(cloud.removeUser({ strRoomId: 'lobby', userIds: ['alice'] })).resolves.toEqual({ requestId: 'simulated-1' });
    expect(alice.kicks).toEqual([]);
    await cloud.flush();
    expect(alice.kicks).toEqual(['banned']);
    expect([stateOf(alice.client), stateOf(bob.client), bob.kicks]).toEqual(['idle', 'inRoom', []]);
  });

  it('dismissRoom({ roomId }): everyone in that room of that app, no one elsewhere', async () => {
    const cloud = new SimulatedCloud({ sdkAppId: APP });
    const inRoom = [await member(cloud, 'alice', { roomId: 8888 }), await member(cloud, 'bob', { roomId: 8888 })];
    const otherRoom = await member(cloud, 'carol', { roomId: 9999 });
    const otherApp = await member(cloud, 'dave', { roomId: 8888 }, 1400000002);

    await expect(cloud.dismissRoom({ roomId: 8888 })).resolves.toEqual({ requestId: 'simulated-1' });
    await cloud.flush();
    expect(inRoom.map((m) => m.kicks)).toEqual([['room_disband'], ['room_disband']]);
    expect([otherRoom.kicks, otherApp.kicks]).toEqual([[], []]);
  });

  it('a call may still name its sdkAppId (the form the simulator had before)', async () => {
    const cloud = new SimulatedCloud();
    const dave = await member(cloud, 'dave', { roomId: 1 }, 1400000002);
    await cloud.removeUser({ sdkAppId: 1400000002, roomId: 1, userIds: ['dave'] });
    await cloud.flush();
    expect(dave.kicks).toEqual(['banned']);
  });

  it('refuses what createRoomServer refuses, and a call for no application', async () => {
    const cloud = new SimulatedCloud({ sdkAppId: APP });
    await expect(cloud.removeUser({ roomId: 8888, userIds: [] })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'userIds' });
    await expect(cloud.dismissRoom({ roomId: 4294967295 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'roomId' });
    await expect(new SimulatedCloud().dismissRoom({ roomId: 1 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'sdkAppId' });
    expect(() => new SimulatedCloud({ sdkAppId: 0 })).toThrow(expect.objectContaining({ field: 'sdkAppId' }) as Error);
  });
});
