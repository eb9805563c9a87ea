// Nothing here may pull in Node: the simulator exports these too.

/** A room, as the server APIs name it: a numeric `roomId` or a `strRoomId`, never both. */
export type RoomRef = { roomId: number; strRoomId?: undefined } | { strRoomId: string; roomId?: undefined };

export interface UserSigOptions {
  /** How long the userSig stays valid, in seconds. Default 86 400 (one day). */
  expireSeconds?: number;
}

export type PrivateMapKeyOptions = RoomRef & {
  /** Bits of `PRIVILEGES` (1–255). Default 255: every privilege in that room. */
  privileges?: number;
  /** How long the key stays valid, in seconds. Default 300, as Tencent recommends. */
  expireSeconds?: number;
};

/** RemoveUser / RemoveUserByStrRoomId: those users are put out of the room (`kicked-out`, reason `banned`). */
export type RemoveUserParams = RoomRef & {
  /** 1 to 10 userIds, as the API takes. */
  userIds: readonly string[];
};

/** DismissRoom / DismissRoomByStrRoomId: everyone is put out of the room (`kicked-out`, reason `room_disband`). */
export type DismissRoomParams = RoomRef;

/** What the API answered to a call that succeeded. */
export interface RoomServerAnswer {
  /** Tencent's RequestId: quote it when asking Tencent about a call. */
  requestId: string;
}

/**
 * The server side of a TRTC application, for one SDKAppID: what `createRoomServer()` does against
 * Tencent's cloud and a `SimulatedCloud` does in memory, so app code and its tests swap one for the other.
 */
export interface RoomServer {
  /** A userSig for `userId`, signed with the application's SecretKey. */
  userSig(userId: string, options?: UserSigOptions): string;
  /** A privateMapKey: which room `userId` may enter and what it may do there. */
  privateMapKey(userId: string, options: PrivateMapKeyOptions): string;
  removeUser(params: RemoveUserParams): Promise<RoomServerAnswer>;
  dismissRoom(params: DismissRoomParams): Promise<RoomServerAnswer>;
}

/** The privileges of a privateMapKey, bit by bit (tls-sig-api-v2's privilegeMap). */
export const PRIVILEGES = {
  createRoom: 1,
  enterRoom: 2,
  sendAudio: 4,
  receiveAudio: 8,
  sendVideo: 16,
  receiveVideo: 32,
  sendSubVideo: 64,
  receiveSubVideo: 128,
  all: 255,
} as const;
