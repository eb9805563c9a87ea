import { describe, expect, it } from 'vitest';
import { createRoomController, parseEnterConfig, RoomError } from '../src/index.js';
import type { EnterConfig } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import { createHarness, enterConfig, stateOf } from './support/harness.js';

const invalid: Array<[string, Record<string, unknown>, string]> = [
  ['sdkAppId missing', { sdkAppId: undefined }, 'sdkAppId'],
  ['sdkAppId 0', { sdkAppId: 0 }, 'sdkAppId'],
  ['sdkAppId a string', { sdkAppId: '1400000000' }, 'sdkAppId'],
  ['sdkAppId NaN', { sdkAppId: Number.NaN }, 'sdkAppId'],
  ['userId missing', { userId: undefined }, 'userId'],
  ['userId blank', { userId: '   ' }, 'userId'],
  ['userId a number', { userId: 42 }, 'userId'],
  ['userSig missing', { userSig: undefined }, 'userSig'],
  ['userSig empty', { userSig: '' }, 'userSig'],
  ['privateMapKey not a string', { privateMapKey: 7 }, 'privateMapKey'],
  ['no room at all', { roomId: undefined }, 'roomId'],
  ['roomId 0 and no strRoomId', { roomId: 0 }, 'roomId'],
  ['roomId a string', { roomId: '8888' }, 'roomId'],
  ['roomId negative', { roomId: -1 }, 'roomId'],
  ['roomId fractional', { roomId: 1.5 }, 'roomId'],
  ['roomId 4294967295', { roomId: 4294967295 }, 'roomId'],
  ['strRoomId too long', { roomId: undefined, strRoomId: 'r'.repeat(65) }, 'strRoomId'],
  ['strRoomId with a slash', { roomId: undefined, strRoomId: 'class/1' }, 'strRoomId'],
  ['strRoomId with a star', { roomId: undefined, strRoomId: 'room*' }, 'strRoomId'],
  ['strRoomId not a string', { roomId: undefined, strRoomId: 12 }, 'strRoomId'],
  ['scene unknown', { scene: 'meeting' }, 'scene'],
  ['role unknown', { role: 'host' }, 'role'],
];

const valid: Array<[string, Partial<EnterConfig>, object]> = [
  ['the largest roomId', { roomId: 4294967294 }, { roomId: 4294967294 }],
  ['strRoomId of 64 allowed characters', { roomId: undefined, strRoomId: `a b!#$%&()+-:;<=.>?@[]^_{}|~,${'x'.repeat(35)}` }, {}],
  ['roomId 0 with a strRoomId', { roomId: 0, strRoomId: 'class-1' }, { strRoomId: 'class-1' }],
  ['roomId wins over a bad strRoomId', { roomId: 8888, strRoomId: 'not/valid' }, { roomId: 8888 }],
  ['live scene, audience', { scene: 'live', role: 'audience' }, { scene: 'live', role: 'audience' }],
];

describe('enter() config validation: the SDK\'s own checks, before any SDK call', () => {
  it.each(invalid)('%s → INVALID_PARAMETER naming the field', async (_, change, field) => {
    const harness = createHarness();
    const config = { ...enterConfig(), ...change } as EnterConfig;
    const error: unknown = await harness.room.enter(config).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RoomError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER', field });
    expect((error as RoomError).message).toContain(field);
    expect(harness.recorder.log.filter((e) => e.method === 'enterRoom')).toEqual([]);
    expect(stateOf(harness.room)).toBe('idle');
    // Nothing is left half-done: a good config enters right after.
    await harness.room.enter(enterConfig());
    expect(stateOf(harness.room)).toBe('inRoom');
  });

  it.each(invalid)('the simulated SDK rejects the same config: %s', async (_, change) => {
    // The controller's checks mirror the SDK's; the simulator models the SDK (trtc-facts.md).
    const client = new SimulatedCloud().createClient();
    const config = { ...enterConfig(), ...change } as EnterConfig;
    const sdkError: unknown = await client.enterRoom(config).catch((e: unknown) => e);
    const isPrivateMapKeyCase = 'privateMapKey' in change;
    if (isPrivateMapKeyCase) return; // the SDK does not check privateMapKey's type
    expect(sdkError).toMatchObject({ code: 5000 });
  });

  it.each(valid)('accepts %s', (_, change, expected) => {
    const { target } = parseEnterConfig({ ...enterConfig(), ...change });
    expect(target).toMatchObject(expected);
  });

  it('passes only the room field the SDK will use, and keeps secrets out of the target', () => {
    const parsed = parseEnterConfig({ ...enterConfig(), strRoomId: 'ignored', privateMapKey: 'pmk' });
    expect(parsed.options).not.toHaveProperty('strRoomId');
    expect(parsed.options).toMatchObject({ roomId: 8888, userSig: 'userSig-of-alice-SECRET', privateMapKey: 'pmk' });
    expect(JSON.stringify(parsed.target)).not.toMatch(/SECRET|pmk/);
  });

  it('rejects a non-object config', async () => {
    const harness = createHarness();
    await expect(harness.room.enter(null as unknown as EnterConfig)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', field: 'config' });
  });
});

describe('createRoomController() options', () => {
  it.each([
    ['a non-TRTC object', { trtc: {} }],
    ['a factory returning nothing', { trtc: () => undefined }],
    ['a negative enter bound', { trtc: new SimulatedCloud().createClient(), enterTimeoutMs: -1 }],
    ['a NaN exit bound', { trtc: new SimulatedCloud().createClient(), exitTimeoutMs: Number.NaN }],
  ])('throws INVALID_PARAMETER for %s', (_, options) => {
    expect(() => createRoomController(options as never)).toThrow(RoomError);
    try {
      createRoomController(options as never);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_PARAMETER' });
    }
  });

  it('uses the documented default bounds', () => {
    const room = createRoomController({ trtc: new SimulatedCloud().createClient() });
    expect(room.getSnapshot().context).toMatchObject({ enterTimeoutMs: 15_000, exitTimeoutMs: 5_000 });
  });
});
