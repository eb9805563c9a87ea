import { SimulatedClient } from './client.js';
import type { CloudLink, CloudMember } from './client-base.js';
import type { Presence } from './presence.js';
import { roomKey } from './sdk-checks.js';
import type { SimulatedRoomRef } from './sdk-checks.js';

const NO_MEMBERS: ReadonlyMap<string, CloudMember> = new Map();

export interface SimulatedCloudOptions {
  /** Delay of every simulated network round trip, in ms. Default 0 (the next macrotask). */
  latencyMs?: number;
}

/**
 * An in-memory TRTC backend: rooms, users and the server's REST APIs. Clients made by one cloud
 * see each other enter, publish and leave, and are kicked as the real service kicks them.
 * In the live scene an audience is not announced to the others (SDK docs of remote-user-enter).
 */
export class SimulatedCloud {
  private readonly latencyMs: number;
  private readonly rooms = new Map<string, Map<string, CloudMember>>();
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();
  private seq = 0;
  private clients = 0;
  private readonly link: CloudLink = {
    schedule: (fn) => this.schedule(fn),
    join: (client, room) => this.join(client, room),
    leave: (client, last) => this.leave(client, last),
    announce: (client, before, after) => this.announce(client, before, after),
    members: (client) => this.members(client),
    nextSeq: () => ++this.seq,
  };

  constructor(options: SimulatedCloudOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** A new TRTC-shaped client, like `TRTC.create()`. */
  createClient(options: { label?: string } = {}): SimulatedClient {
    this.clients += 1;
    return new SimulatedClient(this.link, options.label ?? `client-${this.clients}`);
  }

  /** User ids in a room, in order of arrival. */
  usersIn(room: SimulatedRoomRef): string[] {
    return [...(this.rooms.get(roomKey(room))?.keys() ?? [])];
  }

  /** Server API RemoveUser: those users receive `kicked-out` with reason `banned`. */
  removeUser(params: { sdkAppId: number; roomId: number; userIds: string[] }): void {
    this.kick({ sdkAppId: params.sdkAppId, roomId: params.roomId }, params.userIds, 'banned');
  }

  /** Server API RemoveUserByStrRoomId. */
  removeUserByStrRoomId(params: { sdkAppId: number; strRoomId: string; userIds: string[] }): void {
    this.kick({ sdkAppId: params.sdkAppId, strRoomId: params.strRoomId }, params.userIds, 'banned');
  }

  /** Server API DismissRoom: everyone receives `kicked-out` with reason `room_disband`. */
  dismissRoom(params: { sdkAppId: number; roomId: number }): void {
    this.kick(params, this.usersIn(params), 'room_disband');
  }

  /** Server API DismissRoomByStrRoomId. */
  dismissRoomByStrRoomId(params: { sdkAppId: number; strRoomId: string }): void {
    this.kick(params, this.usersIn(params), 'room_disband');
  }

  /** Resolves once every scheduled network delivery has run (hanging calls excepted). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await new Promise<void>((resolve) => setTimeout(resolve, this.latencyMs));
  }

  private kick(room: SimulatedRoomRef, userIds: readonly string[], reason: string): void {
    const members = this.rooms.get(roomKey(room));
    const targets = userIds.flatMap((userId) => members?.get(userId) ?? []);
    this.schedule(() => {
      for (const client of targets) client.kickOut(reason);
    });
  }

  private schedule(fn: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, this.latencyMs);
    this.pending.add(timer);
  }

  private join(client: CloudMember, room: SimulatedRoomRef): void {
    const key = roomKey(room);
    const userId = client.userId ?? '';
    // The same userId entering again puts the earlier one out of the room.
    const twin = this.rooms.get(key)?.get(userId);
    if (twin && twin !== client) twin.kickOut('kick');
    const members = this.rooms.get(key) ?? new Map<string, CloudMember>();
    this.rooms.set(key, members);
    // In the room before the others hear of it: their handlers may already subscribe to it.
    members.set(userId, client);
    const presence = client.presence();
    for (const other of members.values()) {
      if (other === client) continue;
      other.observe(client, undefined, presence);
      client.observe(other, undefined, other.presence());
    }
  }

  private leave(client: CloudMember, last: Presence | undefined): void {
    const room = client.room;
    client.room = undefined;
    if (!room) return;
    const key = roomKey(room);
    const members = this.rooms.get(key);
    const userId = client.userId ?? '';
    if (!members || members.get(userId) !== client) return;
    members.delete(userId);
    for (const other of members.values()) other.observe(client, last, undefined);
    if (members.size === 0) this.rooms.delete(key);
  }

  private announce(client: CloudMember, before: Presence | undefined, after: Presence | undefined): void {
    for (const other of this.members(client).values()) if (other !== client) other.observe(client, before, after);
  }

  private members(client: CloudMember): ReadonlyMap<string, CloudMember> {
    const members = client.room && this.rooms.get(roomKey(client.room));
    return members?.get(client.userId ?? '') === client ? members : NO_MEMBERS;
  }
}
