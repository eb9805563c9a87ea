// Plays the remote cameras and screens the view lists, into the tiles the stage made for them.
import type { RemoteUserView, RoomController, RoomView, StreamType } from 'trtc-room-machine';

export type SlotFinder = (userId: string, streamType: StreamType) => HTMLElement | undefined;

export interface RemotePlayback {
  sync(view: RoomView): void;
}

export function createRemotePlayback(room: RoomController, slotFor: SlotFinder): RemotePlayback {
  /** `streamType:userId` asked for since the stream last appeared: a failed start is not retried in a loop. */
  const requested = new Set<string>();

  function play(user: RemoteUserView, streamType: StreamType): void {
    const available = streamType === 'main' ? user.video : user.screen;
    const playing = streamType === 'main' ? user.playing.video : user.playing.screen;
    const key = `${streamType}:${user.userId}`;
    if (!available) {
      requested.delete(key);
      return;
    }
    const view = slotFor(user.userId, streamType);
    if (playing || requested.has(key) || !view) return;
    requested.add(key);
    // A failure shows in the SDK call log; it is not something the user asked for.
    room.startRemoteVideo({ userId: user.userId, streamType, view }).catch(() => undefined);
  }

  return {
    sync(view) {
      if (view.state !== 'inRoom') {
        requested.clear();
        return;
      }
      const present = new Set(view.remoteUsers.map((user) => user.userId));
      for (const key of requested) if (!present.has(key.slice(key.indexOf(':') + 1))) requested.delete(key);
      for (const user of view.remoteUsers) {
        play(user, 'main');
        play(user, 'sub');
      }
    },
  };
}
