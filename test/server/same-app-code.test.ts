// One app's server-side code, written against RoomServer only, run unchanged against the simulator
// and against createRoomServer() talking to a stand-in of Tencent's API.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createRoomServer } from 'trtc-room-machine/server';
import type { RoomServer } from 'trtc-room-machine/server';
import { SimulatedCloud } from 'trtc-room-machine/simulator';
import type { RoomServer as SimulatorRoomServer } from 'trtc-room-machine/simulator';
import type { SimulatedClient } from 'trtc-room-machine/simulator';
import { startApiStandIn } from '../support/api-stand-in.js';
import type { ApiStandIn } from '../support/api-stand-in.js';

const SDK_APP_ID = 1400000001;
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const API_SECRET_KEY = 'api-secret-key-of-the-test';

// ---- the app's code ----
const app = {
  credentials: (server: RoomServer, userId: string) => ({ sdkAppId: SDK_APP_ID, userId, userSig: server.userSig(userId, { expireSeconds: 3_600 }) }),
  ban: async (server: RoomServer, roomId: number, userId: string) => (await server.removeUser({ roomId, userIds: [userId] })).requestId,
  closeRoom: async (server: RoomServer, strRoomId: string) => (await server.dismissRoom({ strRoomId })).requestId,
};


interface Backend {
  server: RoomServer;
  /** Alice, in room 8888 and in room "lobby", verified by a cloud that knows the SecretKey. */
  clients: { numbered: SimulatedClient; named: SimulatedClient };
  /** What reached the other side of the call. */
  banned(): Promise<unknown>;
  closed(): Promise<unknown>;
}

let standIn: ApiStandIn;
beforeAll(async () => {
  standIn = await startApiStandIn(API_SECRET_KEY);
});
afterAll(() => standIn.close());

const reasons = new Map<SimulatedClient, string>();

async function aliceIn(cloud: SimulatedCloud, server: RoomServer): Promise<Backend['clients']> {
  const kicks = (client: SimulatedClient) => client.on('kicked-out', (event: { reason: string }) => reasons.set(client, event.reason));
  const numbered = kicks(cloud.createClient());
  const named = kicks(cloud.createClient());
  await numbered.enterRoom({ ...app.credentials(server, 'alice'), roomId: 8888 });
  await named.enterRoom({ ...app.credentials(server, 'alice'), strRoomId: 'lobby' });
  return { numbered, named };
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'SimulatedCloud',
    async () => {
      const cloud = new SimulatedCloud({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY });
      const clients = await aliceIn(cloud, cloud);
      const after = async (client: SimulatedClient) => (await cloud.flush(), reasons.get(client));
      return { server: cloud, clients, banned: () => after(clients.numbered), closed: () => after(clients.named) };
    },
  ],
  [
    'createRoomServer + API stand-in',
    async () => {
      const server = createRoomServer({
        sdkAppId: SDK_APP_ID,
        secretKey: SECRET_KEY,
        secretId: 'AKIDtest',
        apiSecretKey: API_SECRET_KEY,
        endpoint: standIn.endpoint,
        agent: standIn.agent,
      });
      const clients = await aliceIn(new SimulatedCloud({ sdkAppId: SDK_APP_ID, secretKey: SECRET_KEY }), server);
      const sent = (action: string) => async () => [...standIn.requests].reverse().find((request) => request.headers['x-tc-action'] === action)?.json;
      return { server, clients, banned: sent('RemoveUser'), closed: sent('DismissRoomByStrRoomId') };
    },
  ],
];

it('trtc-room-machine/server and trtc-room-machine/simulator name the same RoomServer, and a SimulatedCloud is one', () => {
  expectTypeOf<SimulatorRoomServer>().toEqualTypeOf<RoomServer>();
  expectTypeOf<SimulatedCloud>().toExtend<RoomServer>();
});

describe.each(backends)('the same app code on %s', (name, start) => {
  const simulated = name === 'SimulatedCloud';

  it('its userSigs are taken by a cloud that checks them (both clients entered)', async () => {
    const { clients } = await start();
    expect([clients.numbered.state, clients.named.state]).toEqual(['inRoom', 'inRoom']);
  });

  it('ban(): a RequestId back; alice is put out with reason banned (or RemoveUser reaches Tencent)', async () => {
    const backend = await start();
    await expect(app.ban(backend.server, 8888, 'alice')).resolves.toEqual(expect.any(String));
    expect(await backend.banned()).toEqual(simulated ? 'banned' : { SdkAppId: SDK_APP_ID, RoomId: 8888, UserIds: ['alice'] });
  });

  it('closeRoom(): a RequestId back; the room is disbanded (or DismissRoomByStrRoomId reaches Tencent)', async () => {
    const backend = await start();
    await expect(app.closeRoom(backend.server, 'lobby')).resolves.toEqual(expect.any(String));
    expect(await backend.closed()).toEqual(simulated ? 'room_disband' : { SdkAppId: SDK_APP_ID, RoomId: 'lobby' });
  });

  it('bad input is refused the same way, before anything happens', async () => {
    const { server } = await start();
    const before = standIn.requests.length;
    await expect(app.ban(server, 0, 'alice')).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'roomId', message: expect.stringMatching(/^removeUser\(\): a room is required/) });
    await expect(app.closeRoom(server, 'no/slashes')).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'strRoomId' });
    expect(() => app.credentials(server, '')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER', field: 'userId' }) as Error);
    expect(standIn.requests.length).toBe(before);
  });
});
