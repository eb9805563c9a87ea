import type { AudioVolume, RemoteVideoConfig, SimulatedRemoteAudio, StopRemoteVideoConfig, StreamType } from './media-types.js';
import { isPublishing, presenceEvents } from './presence.js';
import type { Presence, SdkEventEntry } from './presence.js';
import { abortError, ERROR_CODE, EXTRA_CODE, rtcError } from './rtc-error.js';
import { checkArg, checkRemoteVideoParams, notJoined } from './sdk-checks.js';

/** Another user of the room, as the room shows it (undefined presence: not shown). */
export interface Peer {
  readonly speakingLevel: number;
  presence(): Presence | undefined;
}

/** What the remote side needs of its client. */
export interface RemoteHost {
  inRoom(): boolean;
  /** Resolves after the simulated network latency. */
  settle(): Promise<void>;
  /** Everyone in the client's room (itself included), by userId. */
  members(): ReadonlyMap<string, Peer>;
  /** The client itself, to tell it from the others. */
  readonly self: Peer;
}

interface Subscription {
  userId: string;
  streamType: StreamType;
  config: RemoteVideoConfig;
}

const key = (userId: string, streamType: StreamType): string => `${streamType}:${userId}`;

/**
 * What one client plays of the other users of its room. The SDK ends a subscription by itself when
 * the stream goes (user left, stopped or muted); so does this. The others' streams are read from the
 * room at once: the cloud tells every change to everyone synchronously, so the two never differ.
 */
export class RemoteMedia {
  private readonly subscribed = new Map<string, Subscription>();
  /** Subscriptions in flight; a stop or the stream going cancels them. */
  private readonly starting = new Map<string, symbol>();
  private readonly audioMuted = new Map<string, boolean>();
  private readonly audioVolumes = new Map<string, number>();

  constructor(private readonly host: RemoteHost) {}

  /** A remote user changed (entered, published, muted, left): the events this client receives. */
  observe(userId: string, before: Presence | undefined, after: Presence | undefined): SdkEventEntry[] {
    if (this.subscribed.size > 0 || this.starting.size > 0) {
      for (const streamType of ['main', 'sub'] as const) {
        if (after?.[streamType] === 'on') continue;
        this.subscribed.delete(key(userId, streamType));
        this.starting.delete(key(userId, streamType));
      }
    }
    return presenceEvents(userId, before, after);
  }

  /** Leaving the room: the SDK forgets the remote users, subscriptions and remote audio settings. */
  clear(): void {
    this.subscribed.clear();
    this.starting.clear();
    this.audioMuted.clear();
    this.audioVolumes.clear();
  }

  subscriptions(): Array<{ userId: string; streamType: StreamType }> {
    return [...this.subscribed.values()].map(({ userId, streamType }) => ({ userId, streamType }));
  }

  audio(): SimulatedRemoteAudio {
    return { muted: Object.fromEntries(this.audioMuted), volumes: Object.fromEntries(this.audioVolumes) };
  }

  async startVideo(config: RemoteVideoConfig): Promise<void> {
    this.checkStream('startRemoteVideo', config);
    const id = key(config.userId, config.streamType);
    if (this.subscribed.has(id)) throw abortError('startRemoteVideo', 'already started');
    if (this.starting.has(id)) throw abortError('startRemoteVideo', 'already start');
    const token = Symbol(id);
    this.starting.set(id, token);
    await this.host.settle();
    if (this.starting.get(id) !== token) return;
    this.starting.delete(id);
    this.subscribed.set(id, { userId: config.userId, streamType: config.streamType, config: { ...config } });
  }

  async updateVideo(config: RemoteVideoConfig): Promise<void> {
    this.checkStream('updateRemoteVideo', config);
    const id = key(config.userId, config.streamType);
    if (!this.subscribed.has(id) && !this.starting.has(id)) throw abortError('updateRemoteVideo', 'not started');
    await this.host.settle();
    const subscription = this.subscribed.get(id);
    if (subscription) subscription.config = { ...subscription.config, ...config, option: { ...subscription.config.option, ...config.option } };
  }

  /** Not subscribed: nothing to do. No room needed. */
  async stopVideo(config: StopRemoteVideoConfig): Promise<void> {
    const error = checkRemoteVideoParams('stopRemoteVideo', config);
    if (error) throw error;
    const { userId, streamType } = config;
    const ids = userId === '*' ? [...this.subscribed.keys(), ...this.starting.keys()] : [key(userId, streamType ?? 'main')];
    for (const id of ids) {
      this.subscribed.delete(id);
      this.starting.delete(id);
    }
    await this.host.settle();
  }

  /** Recorded even outside a room, as the SDK does; `'*'` stands for every remote user. */
  async muteAudio(userId: string, mute: boolean): Promise<void> {
    const error = checkArg('muteRemoteAudio', 'userId', userId, 'string') ?? checkArg('muteRemoteAudio', 'mute', mute, 'boolean');
    if (error) throw error;
    if (userId === '*') this.audioMuted.clear();
    this.audioMuted.set(userId, mute);
    await this.host.settle();
  }

  setVolume(userId: string, volume: number): void {
    const error = checkArg('setRemoteAudioVolume', 'userId', userId, 'string') ?? checkArg('setRemoteAudioVolume', 'volume', volume, 'number');
    if (error) throw error;
    if (volume < 0) throw rtcError(ERROR_CODE.INVALID_PARAMETER, 'setRemoteAudioVolume', 'volume must be at least 0', EXTRA_CODE.INVALID_PARAMETER_MIN);
    this.audioVolumes.set(userId, volume);
  }

  /** The remote part of `audio-volume`: every user publishing audio, 0 when muted by them or by us. */
  volumes(): AudioVolume[] {
    const result: AudioVolume[] = [];
    for (const [userId, peer] of this.host.members()) {
      if (peer === this.host.self) continue;
      const audio = peer.presence()?.audio ?? 'none';
      if (audio === 'none') continue;
      const heard = audio === 'on' && !(this.audioMuted.get(userId) ?? this.audioMuted.get('*') ?? false);
      const volume = heard ? peer.speakingLevel : 0;
      result.push({ userId, volume, floatVolume: volume / 100 });
    }
    return result;
  }

  private checkStream(functionName: string, config: RemoteVideoConfig): void {
    const error = checkRemoteVideoParams(functionName, config);
    if (error) throw error;
    if (!this.host.inRoom()) throw notJoined(functionName);
    const peer = this.host.members().get(config.userId);
    const presence = peer === this.host.self ? undefined : peer?.presence();
    if (!isPublishing(presence)) {
      throw rtcError(
        ERROR_CODE.INVALID_OPERATION,
        functionName,
        `cannot ${functionName} because remote user(userId: ${config.userId}) does not publishing stream.`,
        EXTRA_CODE.INVALID_OPERATION_REMOTE_USER_NOT_EXIST,
      );
    }
    if (presence?.[config.streamType] !== 'on') {
      throw rtcError(
        ERROR_CODE.INVALID_OPERATION,
        functionName,
        `cannot ${functionName} because remote user(userId: ${config.userId}) does not publishing ${config.streamType} video.`,
        EXTRA_CODE.INVALID_OPERATION_STREAM_TYPE_NOT_EXIST,
      );
    }
  }
}
