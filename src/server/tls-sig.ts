// userSigs and privateMapKeys by Tencent's tls-sig-api-v2, and the check the TRTC service makes of
// a userSig (for the simulator). No Node import here: see peers.ts.
import { RoomError } from '../errors.js';
import { nodeBuiltin, requirePeer } from './peers.js';
import type { RoomRef } from './room-server.types.js';

/** What tls-sig-api-v2 1.0.x's `Api` offers (it ships no types). */
interface TlsSigApi {
  genUserSig(userId: string, expire: number): string;
  genPrivateMapKey(userId: string, expire: number, roomId: number, privileges: number): string;
  genPrivateMapKeyWithStringRoomID(userId: string, expire: number, strRoomId: string, privileges: number): string;
  /** Internal: the HMAC-SHA256 of a signature document, base64. Used to check one. */
  _hmacsha256?(identifier: string, time: number, expire: number, base64UserBuf: string | null): string;
}

interface TlsSigModule {
  Api: new (sdkAppId: number, secretKey: string) => TlsSigApi;
}

/** Why the TRTC service would refuse a userSig. */
export type UserSigRefusal = 'malformed' | 'another sdkAppId' | 'another userId' | 'bad signature' | 'expired';

export interface UserSigSigner {
  userSig(userId: string, expireSeconds: number): string;
  privateMapKey(userId: string, room: RoomRef, privileges: number, expireSeconds: number): string;
  /** Why the service would refuse `userSig` for `userId`, or undefined if it would take it. */
  refusal(userId: string, userSig: string): UserSigRefusal | undefined;
}

interface SignatureDoc {
  identifier: string;
  sdkAppId: number;
  time: number;
  expire: number;
  sig: string;
  userBuf: string | null;
}

interface NodeBuffer {
  Buffer: { from(text: string, encoding: 'base64'): Uint8Array };
}
interface NodeZlib {
  inflateSync(data: Uint8Array): { toString(encoding: 'utf8'): string };
}

/** The TLS v2 wire form: zlib-deflated JSON, base64 with `*`, `-`, `_` for `+`, `/`, `=`. */
function decode(userSig: string): SignatureDoc | undefined {
  const buffer = nodeBuiltin<NodeBuffer>('node:buffer');
  const zlib = nodeBuiltin<NodeZlib>('node:zlib');
  if (!buffer || !zlib || !/^[A-Za-z0-9*_-]+$/.test(userSig)) return undefined;
  let doc: Record<string, unknown>;
  try {
    const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
    doc = JSON.parse(zlib.inflateSync(buffer.Buffer.from(base64, 'base64')).toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { 'TLS.identifier': identifier, 'TLS.sdkappid': sdkAppId, 'TLS.time': time, 'TLS.expire': expire, 'TLS.sig': sig } = doc ?? {};
  const userBuf = doc?.['TLS.userbuf'] ?? null;
  const ok =
    typeof identifier === 'string' &&
    typeof sdkAppId === 'number' &&
    typeof time === 'number' &&
    typeof expire === 'number' &&
    typeof sig === 'string' &&
    (userBuf === null || typeof userBuf === 'string');
  return ok ? { identifier, sdkAppId, time, expire, sig, userBuf } : undefined;
}

/**
 * Signs with the application's SecretKey. `verifying`: the signer must also check userSigs, which
 * needs tls-sig-api-v2's own HMAC (so the scheme is never written twice); checked now, not at a join.
 */
export function createSigner(sdkAppId: number, secretKey: string, helper: string, verifying = false): UserSigSigner {
  const { Api } = requirePeer<TlsSigModule>('tls-sig-api-v2', helper);
  const api = new Api(sdkAppId, secretKey);
  if (verifying && typeof api._hmacsha256 !== 'function') {
    throw new RoomError('MISSING_DEPENDENCY', `${helper}: this tls-sig-api-v2 cannot check a userSig (no _hmacsha256); install 1.0.x: \`npm install tls-sig-api-v2@1\``);
  }
  return {
    userSig: (userId, expireSeconds) => api.genUserSig(userId, expireSeconds),
    privateMapKey: (userId, room, privileges, expireSeconds) =>
      room.roomId !== undefined
        ? api.genPrivateMapKey(userId, expireSeconds, room.roomId, privileges)
        : api.genPrivateMapKeyWithStringRoomID(userId, expireSeconds, room.strRoomId, privileges),
    refusal(userId, userSig) {
      const doc = decode(userSig);
      if (!doc) return 'malformed';
      if (doc.sdkAppId !== sdkAppId) return 'another sdkAppId';
      if (doc.identifier !== userId) return 'another userId';
      if (api._hmacsha256?.(doc.identifier, doc.time, doc.expire, doc.userBuf) !== doc.sig) return 'bad signature';
      if (Date.now() / 1000 > doc.time + doc.expire) return 'expired';
      return undefined;
    },
  };
}
