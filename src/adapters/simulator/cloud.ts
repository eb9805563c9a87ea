import type { EnterConfig } from '../../machines/room/room.types.js';
import { RoomError } from '../../errors.js';
import { checkSdkAppId, checkSecret, parsePrivateMapKey, parseRemoveUser, parseRoomRef, parseUserSig } from '../../server/room-server.checks.js';
import type { DismissRoomParams, PrivateMapKeyOptions, RemoveUserParams, RoomServer, RoomServerAnswer, UserSigOptions } from '../../server/room-server.types.js';
import { createSigner } from '../../server/tls-sig.js';
import type { UserSigSigner } from '../../server/tls-sig.js';
import { SimulatedClient } from './client.js';
import type { CloudLink, CloudMember } from './client-base.js';
import type { Presence } from './presence.js';
import { ERROR_CODE, rtcError } from './rtc-error.js';
import type { SimulatedRtcError } from './rtc-error.js';
import { roomKey } from './sdk-checks.js';
import type { SimulatedRoomRef } from './sdk-checks.js';

const NO_MEMBERS: ReadonlyMap<string, CloudMember> = new Map();

export interface SimulatedCloudOptions {
  /** Delay of every simulated network round trip, in ms. Default 0 (the next macrotask). */
  latencyMs?: number;
  /** The application its RoomServer methods act for when a call names none (the SDKAppID of `createRoomServer`). */
  sdkAppId?: number;
  /**
   * That application's SDK SecretKey (needs `sdkAppId`; Node only, with tls-sig-api-v2 installed):
   * the cloud then signs userSigs and privateMapKeys, and checks every userSig as the TRTC service
   * does — a bad, expired or another user's userSig (or a join to another application) rejects
   * enterRoom with 5400 / -100018. Without it any userSig is taken.
   */
  secretKey?: string;
}

/** The server's refusal of a join whose userSig does not check out (measured on the real SDK). */
const USER_SIG_CHECK_FAILED = -100018;

/**
 * An in-memory TRTC backend: rooms, users and the server's REST APIs. Clients made by one cloud
 * see each other enter, publish and leave, and are kicked as the real service kicks them.
 * In the live scene an audience is not announced to the others (SDK docs of remote-user-enter).
 */
export class SimulatedCloud implements RoomServer {
  private readonly latencyMs: number;
  private readonly sdkAppId: number | undefined;
  private readonly signer: UserSigSigner | undefined;
  private requests = 0;
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
    admit: (room, params) => this.admit(room, params),
  };

  constructor(options: SimulatedCloudOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    const command = 'SimulatedCloud';
    this.sdkAppId = options.sdkAppId === undefined ? undefined : checkSdkAppId(command, options.sdkAppId);
    const secretKey = checkSecret(command, 'secretKey', options.secretKey);
    if (secretKey !== undefined) {
      if (this.sdkAppId === undefined) {
        throw new RoomError('INVALID_PARAMETER', `${command}(): a secretKey belongs to one application: give its sdkAppId too`, { field: 'sdkAppId' });
      }
      this.signer = createSigner(this.sdkAppId, secretKey, 'new SimulatedCloud({ secretKey })', true);
    }
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

  /** A userSig signed with the SecretKey the cloud was given (`new SimulatedCloud({ sdkAppId, secretKey })`). */
  userSig(userId: string, options?: UserSigOptions): string {
    const parsed = parseUserSig(userId, options);
    return this.signing('userSig').userSig(parsed.userId, parsed.expireSeconds);
  }

  privateMapKey(userId: string, options: PrivateMapKeyOptions): string {
    const parsed = parsePrivateMapKey(userId, options);
    return this.signing('privateMapKey').privateMapKey(parsed.userId, parsed.room, parsed.privileges, parsed.expireSeconds);
  }

  /**
   * Server API RemoveUser / RemoveUserByStrRoomId: those users receive `kicked-out` with reason
   * `banned`. Resolves once the cloud took the call; the kicks arrive after the latency (`flush()`).
   * `sdkAppId` defaults to the cloud's.
   */
  async removeUser(params: RemoveUserParams & { sdkAppId?: number }): Promise<RoomServerAnswer> {
    const { userIds, ...room } = parseRemoveUser('removeUser', params);
    this.kick({ sdkAppId: this.appOf('removeUser', params), ...room }, userIds, 'banned');
    return this.answer();
  }

  /** @deprecated The same as `removeUser({ strRoomId, userIds })`. */
  removeUserByStrRoomId(params: { sdkAppId?: number; strRoomId: string; userIds: readonly string[] }): Promise<RoomServerAnswer> {
    return this.removeUser(params);
  }

  /** Server API DismissRoom / DismissRoomByStrRoomId: everyone receives `kicked-out` with reason `room_disband`. */
  async dismissRoom(params: DismissRoomParams & { sdkAppId?: number }): Promise<RoomServerAnswer> {
    const target = { sdkAppId: this.appOf('dismissRoom', params), ...parseRoomRef('dismissRoom', params) };
    this.kick(target, this.usersIn(target), 'room_disband');
    return this.answer();
  }

  /** @deprecated The same as `dismissRoom({ strRoomId })`. */
  dismissRoomByStrRoomId(params: { sdkAppId?: number; strRoomId: string }): Promise<RoomServerAnswer> {
    return this.dismissRoom(params);
  }

  /** Resolves once every scheduled network delivery has run (hanging calls excepted). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await new Promise<void>((resolve) => setTimeout(resolve, this.latencyMs));
  }

  private signing(command: string): UserSigSigner {
    if (!this.signer) {
      throw new RoomError('INVALID_PARAMETER', `${command}(): the cloud signs only with the application's SecretKey: new SimulatedCloud({ sdkAppId, secretKey })`, {
        field: 'secretKey',
      });
    }
    return this.signer;
  }

  private appOf(command: string, params: { sdkAppId?: unknown }): number {
    if (params.sdkAppId !== undefined) return checkSdkAppId(command, params.sdkAppId);
    if (this.sdkAppId !== undefined) return this.sdkAppId;
    throw new RoomError('INVALID_PARAMETER', `${command}(): which application? Give new SimulatedCloud({ sdkAppId }) or ${command}({ sdkAppId, … })`, {
      field: 'sdkAppId',
    });
  }

  private answer(): RoomServerAnswer {
    this.requests += 1;
    return { requestId: `simulated-${this.requests}` };
  }

  /** With a SecretKey, a join is refused as the service refuses it: 5400 with the server's code. */
  private admit(room: SimulatedRoomRef, params: EnterConfig): SimulatedRtcError | undefined {
    if (!this.signer) return undefined;
    const refusal = room.sdkAppId === this.sdkAppId ? this.signer.refusal(params.userId, params.userSig) : 'another sdkAppId';
    if (refusal === undefined) return undefined;
    return rtcError(ERROR_CODE.SERVER_ERROR, 'enterRoom', `join room failed: userSig check failed (${refusal})`, USER_SIG_CHECK_FAILED);
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
