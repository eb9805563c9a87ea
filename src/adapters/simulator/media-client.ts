import type { LocalMediaMethod } from './calls.js';
import { ClientBase } from './client-base.js';
import type { CloudMember } from './client-base.js';
import { LocalMedia } from './local-media.js';
import type { LocalConfig, LocalKind } from './local-media.js';
import type {
  AutoplayMediaType,
  LocalAudioConfig,
  LocalVideoConfig,
  NetworkQuality,
  RemoteVideoConfig,
  ScreenShareConfig,
  SimulatedLocalMedia,
  SimulatedRemoteAudio,
  SimulatedRole,
  StopRemoteVideoConfig,
  StreamType,
} from './media-types.js';
import { samePresence } from './presence.js';
import type { Presence } from './presence.js';
import { RemoteMedia } from './remote-media.js';
import { ERROR_CODE, rtcError } from './rtc-error.js';
import type { SimulatedRoomRef } from './sdk-checks.js';
import type { OpKind } from './track-ops.js';

export type ClientState = 'idle' | 'entering' | 'inRoom' | 'destroyed';

/** enableAudioVolumeEvaluation: the SDK's default interval, and the floor it applies (bundle). */
const VOLUME_INTERVAL_MS = 2_000;
const MIN_VOLUME_INTERVAL_MS = 100;

const GOOD_NETWORK: NetworkQuality = {
  uplinkNetworkQuality: 1,
  downlinkNetworkQuality: 1,
  uplinkRTT: 20,
  downlinkRTT: 20,
  uplinkLoss: 0,
  downlinkLoss: 0,
};

const LOCAL_METHODS: Record<LocalKind, Record<OpKind, LocalMediaMethod>> = {
  audio: { start: 'startLocalAudio', update: 'updateLocalAudio', stop: 'stopLocalAudio' },
  video: { start: 'startLocalVideo', update: 'updateLocalVideo', stop: 'stopLocalVideo' },
  screen: { start: 'startScreenShare', update: 'updateScreenShare', stop: 'stopScreenShare' },
};

/** Lets a timer not keep Node alive (the SDK's volume timer runs until destroy). */
function unref(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') timer.unref();
}

/**
 * The media half of a simulated client: local tracks (state only, no device), remote users and
 * what is played of them, volumes, autoplay and network quality. SimulatedClient adds the room.
 */
export abstract class MediaClient extends ClientBase implements CloudMember {
  protected clientState: ClientState = 'idle';
  protected scene: 'rtc' | 'live' = 'rtc';
  protected currentRole: SimulatedRole = 'anchor';
  protected network: NetworkQuality = { ...GOOD_NETWORK };
  protected readonly localMedia = new LocalMedia();
  protected readonly remote = new RemoteMedia({
    inRoom: () => this.clientState === 'inRoom',
    settle: () => this.settle(),
    members: () => this.cloud.members(this),
    self: this,
  });
  private volumeTimer: ReturnType<typeof setInterval> | undefined;
  private level = 0;
  private resumes = 0;
  /** The room this client is in, and as whom. */
  room: SimulatedRoomRef | undefined;
  userId: string | undefined;

  /** What this client captures and publishes (a fresh copy). */
  get local(): SimulatedLocalMedia {
    return this.localMedia.snapshot();
  }

  /** The level `audio-volume` reports for this user, set by `setSpeakingLevel`. */
  get speakingLevel(): number {
    return this.level;
  }

  get networkQuality(): NetworkQuality {
    return { ...this.network };
  }

  /** How many times the app called `resume()` of an `autoplay-failed` event. */
  get autoplayResumes(): number {
    return this.resumes;
  }

  // ---- local media ----

  startLocalAudio(config: LocalAudioConfig = {}): Promise<void> {
    return this.localOp('audio', 'start', config);
  }

  updateLocalAudio(config: LocalAudioConfig): Promise<void> {
    return this.localOp('audio', 'update', config);
  }

  stopLocalAudio(): Promise<void> {
    return this.localOp('audio', 'stop', {});
  }

  startLocalVideo(config: LocalVideoConfig = {}): Promise<void> {
    return this.localOp('video', 'start', config);
  }

  updateLocalVideo(config: LocalVideoConfig): Promise<void> {
    return this.localOp('video', 'update', config);
  }

  stopLocalVideo(): Promise<void> {
    return this.localOp('video', 'stop', {});
  }

  startScreenShare(config: ScreenShareConfig = {}): Promise<void> {
    return this.localOp('screen', 'start', config);
  }

  updateScreenShare(config: ScreenShareConfig): Promise<void> {
    return this.localOp('screen', 'update', config);
  }

  stopScreenShare(): Promise<void> {
    return this.localOp('screen', 'stop', {});
  }

  // ---- remote media ----

  startRemoteVideo(config: RemoteVideoConfig): Promise<void> {
    return this.invoke('startRemoteVideo', () => this.remote.startVideo(config));
  }

  updateRemoteVideo(config: RemoteVideoConfig): Promise<void> {
    return this.invoke('updateRemoteVideo', () => this.remote.updateVideo(config));
  }

  stopRemoteVideo(config: StopRemoteVideoConfig): Promise<void> {
    return this.invoke('stopRemoteVideo', () => this.remote.stopVideo(config));
  }

  muteRemoteAudio(userId: string, mute: boolean): Promise<void> {
    return this.invoke('muteRemoteAudio', () => this.remote.muteAudio(userId, mute));
  }

  setRemoteAudioVolume(userId: string, volume: number): void {
    this.invokeSync('setRemoteAudioVolume', () => this.remote.setVolume(userId, volume));
  }

  /** The remote videos this client plays. */
  subscriptions(): Array<{ userId: string; streamType: StreamType }> {
    return this.remote.subscriptions();
  }

  get remoteAudio(): SimulatedRemoteAudio {
    return this.remote.audio();
  }

  /** `audio-volume` every `interval` ms (at least 100) until turned off (≤ 0) or destroy, in a room or not. */
  enableAudioVolumeEvaluation(interval = VOLUME_INTERVAL_MS): void {
    this.invokeSync('enableAudioVolumeEvaluation', () => {
      this.stopVolumeTimer();
      if (interval <= 0 || this.clientState === 'destroyed') return;
      this.volumeTimer = setInterval(() => this.emitVolumes(), Math.max(Math.floor(interval), MIN_VOLUME_INTERVAL_MS));
      unref(this.volumeTimer);
    });
  }

  // ---- simulator controls: what the user, the browser or the network does ----

  /** The level (0..100) this user speaks at, as `audio-volume` reports it to everyone. */
  setSpeakingLevel(volume: number): void {
    this.level = Math.min(100, Math.max(0, volume));
  }

  /** The user pressed the browser's "Stop sharing": the share ends and `screen-share-stopped` is emitted. */
  endScreenShareByBrowser(): void {
    if (!this.localMedia.isStarted('screen')) return;
    this.change(() => this.localMedia.stop('screen'));
    this.emitter.emit('screen-share-stopped');
  }

  /** The browser blocked playback: `autoplay-failed`, whose `resume()` is recorded as a call. */
  failAutoplay(userId: string, mediaType: AutoplayMediaType): void {
    const resume = (): Promise<void> =>
      this.invoke('resume', async () => {
        this.resumes += 1;
      });
    this.emitter.emit('autoplay-failed', { userId, mediaType, resume });
  }

  /** The network changes (quality 0..6, RTT in ms, loss in %): `network-quality` at once when in a room. */
  degradeNetwork(change: Partial<NetworkQuality>): void {
    for (const [name, value] of Object.entries(change) as Array<[keyof NetworkQuality, number | undefined]>) {
      if (typeof value === 'number') this.network[name] = value;
    }
    if (this.clientState === 'inRoom') this.emitter.emit('network-quality', { ...this.network });
  }

  // ---- called by the cloud ----

  abstract kickOut(reason: string): void;

  /** What the room sees of this client; undefined when not in it or not shown (a live-scene audience). */
  presence(): Presence | undefined {
    if (this.clientState !== 'inRoom' || (this.scene === 'live' && this.currentRole === 'audience')) return undefined;
    return this.localMedia.presence();
  }

  /** Another user of the room changed. */
  observe(source: CloudMember, before: Presence | undefined, after: Presence | undefined): void {
    if (this.clientState !== 'inRoom') return;
    for (const [event, payload] of this.remote.observe(source.userId ?? '', before, after)) this.emitter.emit(event, payload);
  }

  // ---- internals ----

  /** Whether the room takes a publication now. The SDK tries anyway for a live-scene audience and swallows the refusal. */
  protected canPublish(): boolean {
    return this.clientState === 'inRoom' && !(this.scene === 'live' && this.currentRole === 'audience');
  }

  /** Applies a change of this client and tells the others what they now see. */
  protected change(mutate: () => void): void {
    const before = this.presence();
    mutate();
    const after = this.presence();
    if (!samePresence(before, after)) this.cloud.announce(this, before, after);
  }

  protected stopVolumeTimer(): void {
    clearInterval(this.volumeTimer);
    this.volumeTimer = undefined;
  }

  private localOp(kind: LocalKind, op: OpKind, config: LocalConfig): Promise<void> {
    const method = LOCAL_METHODS[kind][op];
    const destroyed = () => op !== 'stop' && this.clientState === 'destroyed';
    return this.invoke(method, async () => {
      if (destroyed()) throw rtcError(ERROR_CODE.INVALID_OPERATION, method, 'client was destroyed');
      await this.localMedia.ops[kind].run(op, method, async () => {
        await this.settle();
        // Our choice: a capture that ends after destroy() is dropped.
        if (destroyed()) throw rtcError(ERROR_CODE.INVALID_OPERATION, method, 'client was destroyed');
        this.change(() => this.localMedia.apply(kind, op, config, this.canPublish()));
      });
    });
  }

  private emitVolumes(): void {
    const result = this.remote.volumes();
    const { audio } = this.localMedia.snapshot();
    if (audio.started) {
      const volume = audio.muted ? 0 : this.level;
      result.push({ userId: '', volume, floatVolume: volume / 100 });
    }
    result.sort((a, b) => b.volume - a.volume);
    this.emitter.emit('audio-volume', { result });
  }
}
