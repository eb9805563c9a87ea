import type { RoomContext } from './room.types.js';

/**
 * The SDK refuses to publish for an audience in the live scene (5107): the machine refuses first,
 * and the controller says why before anything is sent.
 */
export function mayPublish(context: Pick<RoomContext, 'target' | 'role'>, publish: boolean): boolean {
  return !publish || context.target?.scene !== 'live' || context.role !== 'audience';
}
