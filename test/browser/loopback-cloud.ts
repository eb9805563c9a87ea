// Tencent's cloud on loopback, for the demo's real mode: the API stand-in and the signalling stub
// joined as the service joins them. A RemoveUser that the stand-in accepts (a valid signature)
// kicks those users out of that room with reason `banned`, a DismissRoom everyone in it with
// `room_disband`: each on the signalling connection it joined on, after the API answered, with
// the frame the real server sends (docs/sdk-facts.md, "Signalling on loopback").
import type { ApiRequest, ApiStandIn } from '../support/api-stand-in.js';
import { kickFrame } from './signalling-stub.js';
import type { SignallingStub, StubConnection } from './signalling-stub.js';

/**
 * Who joined on a connection, and where: the SDK puts the userId and userSig in the signalling
 * URL's query, and the room in the `join/v2` frame's `data.roomId` (a string).
 */
export function joinedAs(connection: StubConnection): { userId: string; roomId: string; userSig: string } | undefined {
  const join = connection.received.find((message) => message.cmd === 'join/v2');
  const roomId = (join?.data as { roomId?: unknown } | undefined)?.roomId;
  const query = new URL(connection.url, 'ws://stub').searchParams;
  const userId = query.get('userId');
  const userSig = query.get('userSig');
  return userId && userSig && roomId !== undefined ? { userId, roomId: String(roomId), userSig } : undefined;
}

/** Which connections the call puts out, and why; none for any other action. */
function kicksOf(request: ApiRequest, stub: SignallingStub): { reason: string; connections: StubConnection[] } {
  const action = String(request.headers['x-tc-action']);
  const { RoomId, UserIds } = (request.json ?? {}) as { RoomId?: unknown; UserIds?: unknown };
  const inRoom = stub.connections.filter((connection) => !connection.closed && joinedAs(connection)?.roomId === String(RoomId));
  if (action === 'RemoveUser' && Array.isArray(UserIds)) {
    return { reason: 'banned', connections: inRoom.filter((connection) => UserIds.includes(joinedAs(connection)?.userId)) };
  }
  if (action === 'DismissRoom') return { reason: 'room_disband', connections: inRoom };
  return { reason: '', connections: [] };
}

export function wireServerKicks(standIn: ApiStandIn, stub: SignallingStub): void {
  standIn.answer((request) => {
    const { reason, connections } = kicksOf(request, stub);
    setTimeout(() => connections.forEach((connection) => connection.send(kickFrame(reason))), 20);
    return { kind: 'ok' };
  });
}
