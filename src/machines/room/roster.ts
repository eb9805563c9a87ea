import type { RemoteChange, StreamType } from './room.types.js';

/** Below this many slots holes are left to the next snapshot: a small room does not compact on every exit. */
const MIN_COMPACT_SLOTS = 32;

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

/**
 * The remote users of the room, in order of arrival. Every SDK event costs O(1) (a volume batch
 * O(speakers)). The list handed to the view is copied on the first change after it was handed
 * out, so it stays the same array until something changes. Users who left are holes until it is
 * next handed out, or until holes fill more than half the slots, whether or not anyone reads the
 * view: the array holds at most about twice the users in the room, and an exit costs O(1)
 * amortised (each compaction is paid for by the exits that made its holes).
 */
export class Roster {
  private readonly positions = new Map<string, number>();
  private list: Array<RemoteUserView | undefined> = [];
  private holes = 0;
  /** The list was handed out: the next change copies it first. */
  private shared = false;
  private changed = false;

  /** Applies one change; says whether anything in the roster changed. */
  apply(change: RemoteChange): boolean {
    this.changed = false;
    switch (change.kind) {
      case 'enter':
        this.upsert(change.userId, (user) => user);
        break;
      case 'exit':
        this.remove(change.userId);
        break;
      case 'audio':
        this.upsertIf(change.available, change.userId, (user) => (user.audio === change.available ? user : { ...user, audio: change.available }));
        break;
      case 'video':
        this.upsertIf(change.available, change.userId, (user) => withStream(user, change.streamType, change.available));
        break;
      case 'subscription':
        this.update(change.userId, (user) => {
          const playing = withPlaying(user.playing, change.streamType, change.playing);
          return playing === user.playing ? user : { ...user, playing };
        });
        break;
      case 'audioMuted':
        this.update(change.userId, (user) => (user.audioMuted === change.muted ? user : { ...user, audioMuted: change.muted }));
        break;
      case 'volumes':
        for (const { userId, volume } of change.volumes) {
          this.update(userId, (user) => (user.volume === volume ? user : withVolume(user, volume)));
        }
        break;
    }
    return this.changed;
  }

  clear(): void {
    if (this.size === 0) return;
    this.list = [];
    this.holes = 0;
    this.positions.clear();
    this.shared = false;
  }

  get size(): number {
    return this.list.length - this.holes;
  }

  /** Slots of the internal array: the users plus the holes of those who left since the last compaction. */
  get slots(): number {
    return this.list.length;
  }

  get(userId: string): RemoteUserView | undefined {
    const position = this.positions.get(userId);
    return position === undefined ? undefined : this.list[position];
  }

  /** The users in order of arrival; the same array until something changes. */
  snapshot(): readonly RemoteUserView[] {
    if (this.holes > 0) this.compact();
    this.shared = true;
    return this.list as readonly RemoteUserView[];
  }

  private compact(): void {
    const users = this.list.filter((user): user is RemoteUserView => user !== undefined);
    users.forEach((user, position) => this.positions.set(user.userId, position));
    this.list = users;
    this.holes = 0;
    this.shared = false;
  }

  private writable(): Array<RemoteUserView | undefined> {
    if (this.shared) {
      this.list = this.list.slice();
      this.shared = false;
    }
    this.changed = true;
    return this.list;
  }

  /** Adds the user if unknown: in the live scene an audience is not told of every enter. */
  private upsert(userId: string, change: (user: RemoteUserView) => RemoteUserView): void {
    const known = this.get(userId);
    if (known) return this.replace(userId, known, change(known));
    const list = this.writable();
    this.positions.set(userId, list.length);
    list.push(change(newUser(userId)));
  }

  /** An availability event may add a user; an unavailability event for a user gone changes nothing. */
  private upsertIf(available: boolean, userId: string, change: (user: RemoteUserView) => RemoteUserView): void {
    if (available) this.upsert(userId, change);
    else this.update(userId, change);
  }

  private update(userId: string, change: (user: RemoteUserView) => RemoteUserView): void {
    const user = this.get(userId);
    if (user) this.replace(userId, user, change(user));
  }

  private replace(userId: string, before: RemoteUserView, after: RemoteUserView): void {
    const position = this.positions.get(userId);
    if (after === before || position === undefined) return;
    this.writable()[position] = after;
  }

  private remove(userId: string): void {
    const position = this.positions.get(userId);
    if (position === undefined) return;
    this.writable()[position] = undefined;
    this.positions.delete(userId);
    this.holes += 1;
    if (this.list.length >= MIN_COMPACT_SLOTS && this.holes > this.list.length / 2) this.compact();
  }
}

function newUser(userId: string): RemoteUserView {
  return { userId, audio: false, video: false, screen: false, playing: { video: false, screen: false }, audioMuted: false };
}

// Written out (no spread, no computed keys): these run on every volume and availability event.
function withVolume(user: RemoteUserView, volume: number): RemoteUserView {
  const { userId, audio, video, screen, playing, audioMuted } = user;
  return { userId, audio, video, screen, playing, audioMuted, volume };
}

function copyUser(user: RemoteUserView, video: boolean, screen: boolean, playing: RemoteUserView['playing']): RemoteUserView {
  const { userId, audio, audioMuted, volume } = user;
  return volume === undefined ? { userId, audio, video, screen, playing, audioMuted } : { userId, audio, video, screen, playing, audioMuted, volume };
}

function withStream(user: RemoteUserView, streamType: StreamType, available: boolean): RemoteUserView {
  // The SDK stops playing a stream that goes away.
  const playing = available ? user.playing : withPlaying(user.playing, streamType, false);
  if (user[streamType === 'main' ? 'video' : 'screen'] === available && playing === user.playing) return user;
  const main = streamType === 'main';
  return copyUser(user, main ? available : user.video, main ? user.screen : available, playing);
}

function withPlaying(playing: RemoteUserView['playing'], streamType: StreamType, value: boolean): RemoteUserView['playing'] {
  if (playing[streamType === 'main' ? 'video' : 'screen'] === value) return playing;
  return streamType === 'main' ? { video: value, screen: playing.screen } : { video: playing.video, screen: value };
}
