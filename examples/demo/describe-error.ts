// How a failure reads on a card: a RoomError's stable code first, then what the SDK said.
import type { RoomErrorData } from 'trtc-room-machine';

/** A RoomError, or the same as plain data (view().error). */
function isRoomErrorLike(value: unknown): value is RoomErrorData {
  return typeof value === 'object' && value !== null && typeof (value as RoomErrorData).code === 'string' && typeof (value as RoomErrorData).message === 'string';
}

export function describeError(error: unknown): string {
  if (isRoomErrorLike(error)) {
    const extra = error.sdkExtraCode === undefined ? '' : `/${error.sdkExtraCode}`;
    const sdk = error.sdkCode === undefined ? '' : ` (SDK ${error.sdkCode}${extra})`;
    return `${error.code}${sdk}: ${error.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
