import type { RoomView } from './machines/room/room.view.js';

/** Why a session ended, as a stable key: translate by key, never by message. */
export type EndingKey =
  | 'kicked.kick'
  | 'kicked.banned'
  | 'kicked.room_disband'
  | 'connectionLost'
  | 'enterFailed'
  | 'enterTimeout'
  | 'exitFailed'
  | 'duplicateUser'
  | 'destroyed';

export interface Ending {
  key: EndingKey;
  /** Short English for the people in the call; pass your own `messages` to translate. */
  message: string;
}

export const ENDING_MESSAGES: Readonly<Record<EndingKey, string>> = {
  'kicked.kick': 'You joined this room from somewhere else, so this session was closed.',
  'kicked.banned': 'You were removed from the room.',
  'kicked.room_disband': 'The room was closed.',
  connectionLost: 'The connection was lost and could not be restored.',
  enterFailed: 'Could not join the room. Please try again.',
  enterTimeout: 'Joining the room took too long. Check your network and try again.',
  exitFailed: 'Leaving the room did not complete; the connection was closed.',
  duplicateUser: 'You are in this room already, in another tab or window.',
  destroyed: 'This call has ended.',
};

/** The error codes that end a session, by the key that tells of them. */
const BY_CODE: Readonly<Record<string, EndingKey>> = {
  CONNECTION_LOST: 'connectionLost',
  ENTER_FAILED: 'enterFailed',
  ENTER_TIMEOUT: 'enterTimeout',
  EXIT_FAILED: 'exitFailed',
  EXIT_TIMEOUT: 'exitFailed',
  DUPLICATE_USER: 'duplicateUser',
};

/**
 * How the last session ended, in words an app can show (or replace, by key): a kick and its
 * reason, a lost connection, a failed or timed-out enter or exit, a destroyed controller. Null
 * while a session goes on, or when it ended as asked (exit()). Given the RoomError a command
 * rejected with instead of the view, it tells of that (`DUPLICATE_USER` is only ever one).
 */
export function describeEnding(
  source: Pick<RoomView, 'state' | 'kickReason' | 'error'> | { code: string },
  messages: Readonly<Record<EndingKey, string>> = ENDING_MESSAGES,
): Ending | null {
  const ending = 'state' in source ? endingOf(source) : (BY_CODE[source.code] ?? null);
  return ending === null ? null : { key: ending, message: messages[ending] };
}

function endingOf({ state, kickReason, error }: Pick<RoomView, 'state' | 'kickReason' | 'error'>): EndingKey | null {
  if (state === 'kicked') return `kicked.${kickReason ?? 'banned'}`;
  if (state !== 'idle' && state !== 'destroyed') return null;
  const byError = error ? BY_CODE[error.code] : undefined;
  if (byError) return byError;
  return state === 'destroyed' ? 'destroyed' : null;
}
