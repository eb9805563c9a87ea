import type { RoomTarget } from './machines/room/room.types.js';
import { onPageHide } from './page-hide.js';

/** What a controller does when the same user is in the same room from another tab of this browser. */
export type DuplicateUserMode = 'allow' | 'warn' | 'refuse';

/**
 * Which rooms the other controllers of this browser profile (other tabs, windows, or this page)
 * are in, as which user: learnt over a BroadcastChannel, so TRTC's one-session-per-userId kick
 * (`kick`) can be seen coming. Nothing leaves the browser.
 */
export interface Presence {
  /** Another controller holds `key` now (a claim heard within the expiry). */
  heldElsewhere(key: string): boolean;
  /** This controller is entering or in the room of `key`: others are told now and every heartbeat. */
  claim(key: string): void;
  /** This controller left its room (exit, kick, failed rejoin, destroy). */
  release(): void;
  close(): void;
}

interface Message {
  type: 'claim' | 'release' | 'query';
  id: string;
  key?: string;
  /** A claim made as an enter begins (not a heartbeat): the holder of the same key is about to be kicked. */
  fresh?: boolean;
}

const CHANNEL = 'trtc-room-machine.presence';
const HEARTBEAT_MS = 2_000;
/** A claim not refreshed for three heartbeats is a page that went away (a crash, a closed tab). */
const EXPIRY_MS = 3 * HEARTBEAT_MS;

const inert: Presence = { heldElsewhere: () => false, claim: () => undefined, release: () => undefined, close: () => undefined };

export function presenceKey({ sdkAppId, roomId, strRoomId, userId }: RoomTarget): string {
  return JSON.stringify([sdkAppId, roomId ?? `s:${strRoomId ?? ''}`, userId]);
}

const isMessage = (data: unknown): data is Message =>
  typeof data === 'object' && data !== null && ['claim', 'release', 'query'].includes((data as Message).type) && typeof (data as Message).id === 'string';

/** Node (18+) and browsers have BroadcastChannel; elsewhere presence is off. */
export function createPresence(mode: DuplicateUserMode, onDuplicate: () => void): Presence {
  const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  if (mode === 'allow' || typeof Channel !== 'function') return inert;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const channel = new Channel(CHANNEL);
  // In Node a channel would keep the process alive.
  (channel as { unref?: () => void }).unref?.();
  const others = new Map<string, Map<string, number>>();
  let mine: string | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const post = (message: Message) => {
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel: nothing to tell.
    }
  };
  channel.onmessage = ({ data }: MessageEvent<unknown>) => {
    if (!isMessage(data) || data.id === id) return;
    if (data.type === 'query') {
      if (mine) post({ type: 'claim', id, key: mine });
      return;
    }
    if (data.key === undefined) return;
    const holders = others.get(data.key) ?? new Map<string, number>();
    if (data.type === 'release') holders.delete(data.id);
    else holders.set(data.id, Date.now());
    if (holders.size === 0) others.delete(data.key);
    else others.set(data.key, holders);
    if (data.type === 'claim' && data.fresh && data.key === mine) onDuplicate();
  };
  const stopBeating = () => {
    clearInterval(heartbeat);
    heartbeat = undefined;
  };
  const release = () => {
    if (mine === undefined) return;
    post({ type: 'release', id, key: mine });
    mine = undefined;
    stopBeating();
  };
  // A tab that is closed or navigated away lets its claim go at once (else it expires).
  const stopWatchingPage = onPageHide(release);
  post({ type: 'query', id });

  return {
    heldElsewhere(key) {
      const seen = Date.now() - EXPIRY_MS;
      return [...(others.get(key)?.values() ?? [])].some((at) => at > seen);
    },
    claim(key) {
      if (mine !== undefined && mine !== key) release();
      mine = key;
      post({ type: 'claim', id, key, fresh: true });
      if (heartbeat !== undefined) return;
      heartbeat = setInterval(() => mine !== undefined && post({ type: 'claim', id, key: mine }), HEARTBEAT_MS);
      (heartbeat as { unref?: () => void }).unref?.();
    },
    release,
    close() {
      release();
      stopWatchingPage();
      channel.close();
    },
  };
}
