// What the other users of a room know of a client, and the SDK events a change of it produces.

/** `none`: not published; `muted`: published but muted; `on`: available to the others. */
export type StreamState = 'none' | 'muted' | 'on';

/** A user as the room sees it: undefined when not visible (not in the room, or a live-scene audience). */
export interface Presence {
  audio: StreamState;
  main: StreamState;
  sub: StreamState;
}

export type SdkEventEntry = [event: string, payload: Record<string, unknown>];

const STREAMS = ['audio', 'main', 'sub'] as const;

export function isPublishing(presence: Presence | undefined): boolean {
  return presence !== undefined && STREAMS.some((stream) => presence[stream] !== 'none');
}

export function samePresence(a: Presence | undefined, b: Presence | undefined): boolean {
  if (!a || !b) return a === b;
  return STREAMS.every((stream) => a[stream] === b[stream]);
}

/** The events the others receive: `remote-user-enter` before the streams, `remote-user-exit` after them. */
export function presenceEvents(userId: string, before: Presence | undefined, after: Presence | undefined): SdkEventEntry[] {
  const events: SdkEventEntry[] = [];
  if (!before && after) events.push(['remote-user-enter', { userId }]);
  for (const stream of STREAMS) {
    const was = before?.[stream] === 'on';
    const is = after?.[stream] === 'on';
    if (was === is) continue;
    const state = is ? 'available' : 'unavailable';
    if (stream === 'audio') events.push([`remote-audio-${state}`, { userId }]);
    else events.push([`remote-video-${state}`, { userId, streamType: stream }]);
  }
  if (before && !after) events.push(['remote-user-exit', { userId }]);
  return events;
}
