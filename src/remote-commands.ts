import type { Actor } from 'xstate';
import type { RemoteVideoOptions, StopRemoteVideoOptions } from './adapters/trtc.types.js';
import type { RoomError } from './errors.js';
import type { RoomMachine } from './machines/room/room.machine.js';
import type { RemoteCall, RemoteChange } from './machines/room/room.types.js';
import type { ControllerSession, RemoteRun } from './session.js';

export interface RemoteCommandHost {
  actor: Actor<RoomMachine>;
  session: ControllerSession;
  /** Throws DESTROYED once the controller is destroyed. */
  ensureAlive(command: string): void;
  /** Asks the factory again when it failed to replace a wedged instance. */
  instanceFor(command: string): void;
}

/**
 * Remote media and playback commands: each is a `remote.call` the machine makes (or refuses), and
 * its promise settles with the machine's `remote.settled` for it. What the call needs beyond its
 * name (a DOM view, the options) waits in the session until the machine makes it.
 */
export function createRemoteCommands(host: RemoteCommandHost) {
  const { actor, session } = host;
  const waiters = new Map<number, (error: RoomError | null) => void>();
  actor.on('remote.settled', ({ id, error }) => waiters.get(id)?.(error));
  let nextId = 1;

  function command(call: RemoteCall, run: RemoteRun, change?: RemoteChange): Promise<void> {
    try {
      host.ensureAlive(call);
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
    startRemoteVideo: (o: RemoteVideoOptions) =>
      command('startRemoteVideo', (trtc) => trtc.startRemoteVideo(o), { kind: 'subscription', userId: o.userId, streamType: o.streamType, playing: true }),
    updateRemoteVideo: (o: RemoteVideoOptions) => command('updateRemoteVideo', (trtc) => trtc.updateRemoteVideo(o)),
    stopRemoteVideo: (o: StopRemoteVideoOptions) =>
      command('stopRemoteVideo', (trtc) => trtc.stopRemoteVideo(o), {
        kind: 'subscription',
        userId: o.userId,
        streamType: o.streamType ?? 'main',
        playing: false,
      }),
    muteRemoteAudio: (userId: string, mute: boolean) =>
      command('muteRemoteAudio', (trtc) => trtc.muteRemoteAudio(userId, mute), { kind: 'audioMuted', userId, muted: mute }),
    setRemoteAudioVolume: (userId: string, volume: number) => command('setRemoteAudioVolume', (trtc) => trtc.setRemoteAudioVolume(userId, volume)),
    enableAudioVolumeEvaluation: (intervalMs = 2000) => command('enableAudioVolumeEvaluation', (_, owner) => owner.setVolumeEvaluation(intervalMs)),
    resumeAutoplay: () => command('resumeAutoplay', (_, owner) => owner.resumeAutoplay()),
  };
}
