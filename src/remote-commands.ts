import type { RemoteVideoOptions, StopRemoteVideoOptions } from './adapters/trtc.types.js';
import type { RoomError } from './errors.js';
import { checkUserId } from './machines/room/room.config.js';
import { checkBoolean, checkInterval, checkVolume, parseRemoteVideo } from './machines/room/room.media-config.js';
import type { RemoteCall, RemoteChange } from './machines/room/room.types.js';
import type { CommandHost } from './controller.types.js';
import type { RemoteRun } from './session.js';

/**
 * Remote media and playback commands: each is a `remote.call` the machine makes (or refuses), and
 * its promise settles with the machine's `remote.settled` for it. What the call needs beyond its
 * name (a DOM view, the options) waits in the session until the machine makes it.
 */
export function createRemoteCommands(host: CommandHost) {
  const { actor, session } = host;
  const waiters = new Map<number, (error: RoomError | null) => void>();
  actor.on('remote.settled', ({ id, error }) => waiters.get(id)?.(error));
  let nextId = 1;

  /** `prepare` checks the arguments (after the controller is known alive) and says what the call does. */
  function command(call: RemoteCall, prepare: () => { run: RemoteRun; change?: RemoteChange }): Promise<void> {
    let run: RemoteRun;
    let change: RemoteChange | undefined;
    try {
      host.ensureAlive(call);
      ({ run, change } = prepare());
      host.instanceFor(call);
    } catch (error) {
      return Promise.reject(error);
    }
    const id = nextId++;
    session.giveRemoteCall(id, run);
    return new Promise<void>((resolve, reject) => {
      waiters.set(id, (error) => {
        waiters.delete(id);
        session.dropRemoteCall(id);
        if (error) reject(error);
        else resolve();
      });
      actor.send({ type: 'remote.call', id, call, ...(change ? { change } : {}) });
    });
  }

  return {
    startRemoteVideo: (given: RemoteVideoOptions) =>
      command('startRemoteVideo', () => {
        const o = parseRemoteVideo<RemoteVideoOptions>('startRemoteVideo', given);
        return { run: (trtc) => trtc.startRemoteVideo(o), change: { kind: 'subscription', userId: o.userId, streamType: o.streamType, playing: true } };
      }),
    updateRemoteVideo: (given: RemoteVideoOptions) =>
      command('updateRemoteVideo', () => {
        const o = parseRemoteVideo<RemoteVideoOptions>('updateRemoteVideo', given);
        return { run: (trtc) => trtc.updateRemoteVideo(o) };
      }),
    stopRemoteVideo: (given: StopRemoteVideoOptions) =>
      command('stopRemoteVideo', () => {
        const o = parseRemoteVideo<StopRemoteVideoOptions>('stopRemoteVideo', given);
        const change: RemoteChange = { kind: 'subscription', userId: o.userId, streamType: o.streamType ?? 'main', playing: false };
        return { run: (trtc) => trtc.stopRemoteVideo(o), change };
      }),
    muteRemoteAudio: (userId: string, mute: boolean) =>
      command('muteRemoteAudio', () => {
        const user = checkUserId('muteRemoteAudio', userId);
        const muted = checkBoolean('muteRemoteAudio', 'mute', mute);
        return { run: (trtc) => trtc.muteRemoteAudio(user, muted), change: { kind: 'audioMuted', userId: user, muted } };
      }),
    setRemoteAudioVolume: (userId: string, volume: number) =>
      command('setRemoteAudioVolume', () => {
        const user = checkUserId('setRemoteAudioVolume', userId);
        const level = checkVolume('setRemoteAudioVolume', volume);
        return { run: (trtc) => trtc.setRemoteAudioVolume(user, level) };
      }),
    enableAudioVolumeEvaluation: (intervalMs: number = 2000) =>
      command('enableAudioVolumeEvaluation', () => {
        const interval = checkInterval('enableAudioVolumeEvaluation', intervalMs);
        return { run: (_, owner) => owner.setVolumeEvaluation(interval) };
      }),
    resumeAutoplay: () => command('resumeAutoplay', () => ({ run: (_, owner) => owner.resumeAutoplay() })),
  };
}
