import { describe, expect, it } from 'vitest';
import type { RoomController } from '../src/index.js';
import { createHarness, enterConfig } from './support/harness.js';

type Start = 'startLocalAudio' | 'startLocalVideo' | 'startScreenShare';

/** The SDK methods called on the client since `from`, but listeners. */
function callsSince(harness: ReturnType<typeof createHarness>, from: number): string[] {
  return harness
    .client()
    .calls.slice(from)
    .filter((call) => call.phase === 'call' && call.method !== 'on' && call.method !== 'off')
    .map((call) => call.method);
}

const START = (room: RoomController, command: Start, options?: object) => (room[command] as (options?: object) => Promise<void>)(options);

/**
 * A start on a device that is on already: each row says what the second start asks for and the
 * SDK call it makes. Nothing asked is nothing to do; anything asked is applied as the update would
 * apply it, never dropped.
 */
const ROWS: Array<{ command: Start; options: object | undefined; calls: string[] }> = [
  { command: 'startLocalAudio', options: undefined, calls: [] },
  { command: 'startLocalAudio', options: {}, calls: [] },
  { command: 'startLocalAudio', options: { option: { profile: 'high' } }, calls: ['updateLocalAudio'] },
  { command: 'startLocalAudio', options: { mute: true }, calls: ['updateLocalAudio'] },
  { command: 'startLocalVideo', options: undefined, calls: [] },
  { command: 'startLocalVideo', options: { option: { profile: '720p' } }, calls: ['updateLocalVideo'] },
  { command: 'startLocalVideo', options: { view: 'elsewhere' }, calls: ['updateLocalVideo'] },
  { command: 'startScreenShare', options: undefined, calls: [] },
  { command: 'startScreenShare', options: { option: { fillMode: 'contain' } }, calls: ['updateScreenShare'] },
];

describe('a start on a device that is on already', () => {
  for (const { command, options, calls } of ROWS) {
    it(`${command}(${JSON.stringify(options) ?? ''}) → ${calls.join(', ') || 'no SDK call'}`, async () => {
      const harness = createHarness();
      await harness.room.enter(enterConfig());
      await START(harness.room, command);
      const before = harness.client().calls.length;
      await START(harness.room, command, options);
      expect(callsSince(harness, before)).toEqual(calls);
      await harness.room.destroy();
    });
  }

  it("the README's quality snippet: the profile asked for at the second start is the camera's", async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    await harness.room.startLocalVideo({ view: 'local-video' });
    await harness.room.startLocalVideo({ option: { profile: '720p' } });
    expect(harness.client().local.video.options?.option?.profile).toBe('720p');
    expect(harness.client().local.video.options?.view).toBe('local-video');
    await harness.room.destroy();
  });

  it('a mute asked for at the second start shows in the view', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig());
    await harness.room.startLocalAudio();
    await harness.room.startLocalAudio({ mute: true });
    expect(harness.room.view().muted.microphone).toBe(true);
    await harness.room.destroy();
  });
});

describe('a live-scene audience with a preview on', () => {
  it('may not publish it, by a second start or an update: INVALID_STATE, no SDK call', async () => {
    const harness = createHarness();
    await harness.room.enter(enterConfig('alice', { scene: 'live', role: 'audience' }));
    await harness.room.startLocalVideo({ publish: false });
    const before = harness.client().calls.length;
    await expect(harness.room.startLocalVideo({ publish: true })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('audience') });
    await expect(harness.room.updateLocalVideo({ publish: true })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(callsSince(harness, before)).toEqual([]);
    await harness.room.destroy();
  });
});
