import type { RemoteChange, StreamType } from './room.types.js';

/** One remote user as the view shows it. Objects are replaced, never mutated, when they change. */
export interface RemoteUserView {
  userId: string;
  /** Streams the user publishes now. */
  audio: boolean;
  video: boolean;
  screen: boolean;
  /** Streams this client plays (startRemoteVideo). */
  playing: { video: boolean; screen: boolean };
  /** Muted here with muteRemoteAudio. */
  audioMuted: boolean;
  /** 0..100, once audio volume evaluation is on. */
  volume?: number;
}

const slot = (streamType: StreamType) => (streamType === 'main' ? 'video' : 'screen');

/**
 * The remote users of the room, in order of arrival. Every SDK event costs O(1) (a volume batch
 * O(speakers)); the list for the view is built once per change, when asked for.
 */
export class Roster {
  private readonly users = new Map<string, RemoteUserView>();
  private list: readonly RemoteUserView[] = [];
  private dirty = false;

  apply(change: RemoteChange): void {
    switch (change.kind) {
      case 'enter':
        this.upsert(change.userId, (user) => user);
        return;
      case 'exit':
        if (this.users.delete(change.userId)) this.dirty = true;
        return;
      case 'audio':
        this.upsertIf(change.available, change.userId, (user) => ({ ...user, audio: change.available }));
        return;
      case 'video': {
        const key = slot(change.streamType);
        this.upsertIf(change.available, change.userId, (user) => ({
          ...user,
          [key]: change.available,
          // The SDK stops playing a stream that goes away.
          playing: change.available ? user.playing : { ...user.playing, [key]: false },
        }));
        return;
      }
      case 'subscription': {
        const key = slot(change.streamType);
        this.update(change.userId, (user) => ({ ...user, playing: { ...user.playing, [key]: change.playing } }));
        return;
      }
      case 'audioMuted':
        this.update(change.userId, (user) => ({ ...user, audioMuted: change.muted }));
        return;
      case 'volumes':
        for (const { userId, volume } of change.volumes) {
          this.update(userId, (user) => (user.volume === volume ? user : { ...user, volume }));
        }
        return;
    }
  }

  clear(): void {
    if (this.users.size === 0) return;
    this.users.clear();
    this.dirty = true;
  }

  get size(): number {
    return this.users.size;
  }

  get(userId: string): RemoteUserView | undefined {
    return this.users.get(userId);
  }

  /** The users in order of arrival; the same array until something changes. */
  snapshot(): readonly RemoteUserView[] {
    if (this.dirty) {
      this.list = [...this.users.values()];
      this.dirty = false;
    }
    return this.list;
  }

  /** Adds the user if unknown: in the live scene an audience is not told of every enter. */
  private upsert(userId: string, change: (user: RemoteUserView) => RemoteUserView): void {
    const user = this.users.get(userId) ?? { userId, audio: false, video: false, screen: false, playing: { video: false, screen: false }, audioMuted: false };
    this.set(userId, user, change(user));
  }

  /** An availability event may add a user; an unavailability event for a user gone changes nothing. */
  private upsertIf(available: boolean, userId: string, change: (user: RemoteUserView) => RemoteUserView): void {
    if (available) this.upsert(userId, change);
    else this.update(userId, change);
  }

  private update(userId: string, change: (user: RemoteUserView) => RemoteUserView): void {
    const user = this.users.get(userId);
    if (user) this.set(userId, user, change(user));
  }

  private set(userId: string, before: RemoteUserView, after: RemoteUserView): void {
    if (after === before && this.users.has(userId)) return;
    this.users.set(userId, after);
    this.dirty = true;
  }
}
