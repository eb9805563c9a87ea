import type { LocalAudioConfig, LocalVideoConfig, ScreenShareConfig, SimulatedLocalMedia } from './media-types.js';
import type { Presence, StreamState } from './presence.js';
import { TrackOps } from './track-ops.js';
import type { OpKind } from './track-ops.js';

export type LocalKind = 'audio' | 'video' | 'screen';
export type LocalConfig = LocalAudioConfig | LocalVideoConfig | ScreenShareConfig;

interface Track {
  started: boolean;
  muted: boolean;
  /** The app's wish (`publish`, default true); `published` is what the room receives. */
  publish: boolean;
  published: boolean;
  config: LocalConfig;
}

const KINDS: readonly LocalKind[] = ['audio', 'video', 'screen'];

function idle(): Track {
  return { started: false, muted: false, publish: true, published: false, config: {} };
}

function merged(prev: LocalConfig, next: LocalConfig): LocalConfig {
  const option = prev.option || next.option ? { option: { ...prev.option, ...next.option } } : {};
  return { ...prev, ...next, ...option } as LocalConfig;
}

function muteOf(config: LocalConfig): boolean | undefined {
  if (!('mute' in config) || config.mute === undefined) return undefined;
  return config.mute !== false;
}

function streamState(track: Track): StreamState {
  if (!track.published) return 'none';
  return track.muted ? 'muted' : 'on';
}

/**
 * The microphone, camera and screen of one client. No device is touched: a track is its state.
 * `canPublish` says whether the room would take a publication now (in a room, and not a live-scene
 * audience); the SDK publishes on start, on entering, on switchRole('anchor') and on update({ publish: true }).
 */
export class LocalMedia {
  private readonly tracks: Record<LocalKind, Track> = { audio: idle(), video: idle(), screen: idle() };
  readonly ops: Record<LocalKind, TrackOps> = {
    audio: new TrackOps(() => this.tracks.audio.started),
    video: new TrackOps(() => this.tracks.video.started),
    screen: new TrackOps(() => this.tracks.screen.started),
  };

  isStarted(kind: LocalKind): boolean {
    return this.tracks[kind].started;
  }

  apply(kind: LocalKind, op: OpKind, config: LocalConfig, canPublish: boolean): void {
    if (op === 'start') this.start(kind, config, canPublish);
    else if (op === 'update') this.update(kind, config, canPublish);
    else this.stop(kind);
  }

  stop(kind: LocalKind): void {
    this.tracks[kind] = idle();
  }

  stopAll(): void {
    for (const kind of KINDS) this.stop(kind);
  }

  /** Entering a room or becoming an anchor: every started track the app wants published goes out. */
  publishStarted(canPublish: boolean): void {
    for (const track of Object.values(this.tracks)) if (track.started && track.publish) track.published = canPublish;
  }

  unpublishAll(): void {
    for (const track of Object.values(this.tracks)) track.published = false;
  }

  presence(): Presence {
    return { audio: streamState(this.tracks.audio), main: streamState(this.tracks.video), sub: streamState(this.tracks.screen) };
  }

  snapshot(): SimulatedLocalMedia {
    const { audio, video, screen } = this.tracks;
    const screenConfig = screen.config as ScreenShareConfig;
    return {
      audio: { started: audio.started, muted: audio.muted, published: audio.published },
      video: {
        started: video.started,
        muted: video.muted,
        published: video.published,
        options: video.started ? (merged({}, video.config) as LocalVideoConfig) : undefined,
      },
      screen: { started: screen.started, published: screen.published, systemAudio: screen.started && screenConfig.option?.systemAudio === true },
    };
  }

  private start(kind: LocalKind, config: LocalConfig, canPublish: boolean): void {
    const publish = config.publish !== false;
    this.tracks[kind] = { started: true, muted: muteOf(config) ?? false, publish, published: publish && canPublish, config: merged({}, config) };
  }

  private update(kind: LocalKind, config: LocalConfig, canPublish: boolean): void {
    const track = this.tracks[kind];
    if (!track.started) return;
    track.config = merged(track.config, config);
    track.muted = muteOf(config) ?? track.muted;
    if (config.publish === undefined) return;
    track.publish = config.publish;
    track.published = config.publish && canPublish;
  }
}
