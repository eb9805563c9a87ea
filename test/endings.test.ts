import { describe, expect, it } from 'vitest';
import { createRoomController, describeEnding, ENDING_MESSAGES } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { EndingKey } from '../src/index.js';
import { createHarness, enterConfig, ROOM_ID, SDK_APP_ID } from './support/harness.js';

const keyOf = (harness: ReturnType<typeof createHarness>) => describeEnding(harness.room.view())?.key ?? null;

describe('describeEnding: how the last session ended, by key', () => {
  it('no ending while idle from the start, entering or in the room, nor after an exit asked for', async () => {
    const harness = createHarness();
    expect(keyOf(harness)).toBeNull();
    await harness.room.enter(enterConfig());
    expect(keyOf(harness)).toBeNull();
    await harness.room.exit();
    expect(keyOf(harness)).toBeNull();
  });

  const kicks: Array<[EndingKey, (harness: ReturnType<typeof createHarness>) => Promise<unknown>]> = [
    ['kicked.banned', (harness) => harness.cloud.removeUser({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID, userIds: ['alice'] })],
    ['kicked.room_disband', (harness) => harness.cloud.dismissRoom({ sdkAppId: SDK_APP_ID, roomId: ROOM_ID })],
    ['kicked.kick', (harness) => harness.cloud.createClient().enterRoom({ ...enterConfig() })],
  ];
  for (const [key, kick] of kicks) {
    it(`a kick: ${key}`, async () => {
      const harness = createHarness();
      await harness.room.enter(enterConfig());
      await kick(harness);
      await harness.cloud.flush();
      expect(harness.room.view().state).toBe('kicked');
      expect(describeEnding(harness.room.view())).toEqual({ key, message: ENDING_MESSAGES[key] });
    });
  }

  it('a failed rejoin: connectionLost', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    harness.client().failRejoin();
    await harness.cloud.flush();
    expect(keyOf(harness)).toBe('connectionLost');
  });

  it('an enter the SDK refused, and one past its bound', async () => {
    const harness = createHarness({ enterTimeoutMs: 50 });
    harness.client().injectFault('enterRoom', { kind: 'reject', code: 5400, extraCode: -100018, message: 'userSig check failed' });
    await harness.room.enter(enterConfig()).catch(() => undefined);
    expect(keyOf(harness)).toBe('enterFailed');
    harness.client().injectFault('enterRoom', { kind: 'hang' });
    await harness.room.enter(enterConfig()).catch(() => undefined);
    expect(keyOf(harness)).toBe('enterTimeout');
  });

  it('a destroyed controller, and messages of the app’s own', async () => {
    const harness = createHarness();
    await harness.room.destroy();
    const messages = { ...ENDING_MESSAGES, destroyed: 'Anruf beendet.' };
    expect(describeEnding(harness.room.view(), messages)).toEqual({ key: 'destroyed', message: 'Anruf beendet.' });
  });
});

describe('describeEnding of a rejection', () => {
  it('DUPLICATE_USER, and the codes a view can hold too', async () => {
    const cloud = new SimulatedCloud();
    const config = { sdkAppId: 1400000000, userId: 'ending-dup', userSig: 'x', roomId: 8888 };
    const first = createRoomController({ trtc: () => cloud.createClient() });
    const second = createRoomController({ trtc: () => cloud.createClient(), duplicateUser: 'refuse' });
    await first.enter(config);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refused = (await second.enter(config).catch((error: unknown) => error)) as { code: string };
    expect(describeEnding(refused)).toEqual({ key: 'duplicateUser', message: ENDING_MESSAGES.duplicateUser });
    expect(describeEnding({ code: 'ENTER_TIMEOUT' })?.key).toBe('enterTimeout');
    expect(describeEnding({ code: 'INVALID_PARAMETER' })).toBeNull();
    await Promise.all([first.destroy(), second.destroy()]);
  });
});
