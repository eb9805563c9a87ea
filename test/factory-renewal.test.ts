import { describe, expect, it } from 'vitest';
import { createRoomController } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import type { SimulatedClient } from '../src/adapters/simulator/index.js';

const config = { sdkAppId: 1400000000, userId: 'alice', userSig: 'sig', roomId: 8888 };

/** A factory whose later calls fail while `failing` is set. */
function flakyFactory() {
  const cloud = new SimulatedCloud();
  const made: SimulatedClient[] = [];
  const state = { failing: false, asked: 0 };
  const factory = () => {
    state.asked += 1;
    if (state.failing) throw new Error('TRTC.create() failed: out of memory');
    const client = cloud.createClient();
    made.push(client);
    return client;
  };
  return { factory, made, state };
}

describe('a factory that fails to replace a wedged instance', () => {
  it('leaves the controller in idle, not broken; the next enter asks again and says why it cannot', async () => {
    const { factory, made, state } = flakyFactory();
    const room = createRoomController({ trtc: factory, enterTimeoutMs: 50, exitTimeoutMs: 50 });
    made[0]?.injectFault('enterRoom', { kind: 'hang' });
    state.failing = true;
    await expect(room.enter(config)).rejects.toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(room.actor.getSnapshot().status).toBe('active');
    expect(room.view().state).toBe('idle');
    expect(made[0]?.state).toBe('destroyed');

    const asked = state.asked;
    await expect(room.enter(config)).rejects.toMatchObject({ code: 'ENTER_FAILED', message: expect.stringContaining('out of memory') });
    expect(state.asked).toBe(asked + 1);
    expect(room.view().state).toBe('idle');
    await expect(room.startLocalAudio()).rejects.toMatchObject({ code: 'MEDIA_FAILED' });

    state.failing = false;
    await room.enter(config);
    expect(room.view().state).toBe('inRoom');
    expect(made).toHaveLength(2);
    await room.destroy();
    expect(made[1]?.state).toBe('destroyed');
  });

  it('a fresh instance gets the audio-volume evaluation the app turned on', async () => {
    const { factory, made } = flakyFactory();
    const room = createRoomController({ trtc: factory, enterTimeoutMs: 50, exitTimeoutMs: 50 });
    room.enableAudioVolumeEvaluation(500);
    made[0]?.injectFault('enterRoom', { kind: 'hang' });
    await expect(room.enter(config)).rejects.toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(made).toHaveLength(2);
    const calls = (client: SimulatedClient | undefined) =>
      client?.calls.filter((call) => call.method === 'enableAudioVolumeEvaluation' && call.phase === 'call').length;
    expect(calls(made[1])).toBe(1);

    room.enableAudioVolumeEvaluation(0);
    made[1]?.injectFault('enterRoom', { kind: 'hang' });
    await expect(room.enter(config)).rejects.toMatchObject({ code: 'ENTER_TIMEOUT' });
    expect(calls(made[2])).toBe(0);
    await room.destroy();
  });
});
