/// <reference types="node" />
import type { Agent } from 'node:http';
import { RoomError } from '../errors.js';
import { createRedactor } from '../inspect/redact.js';
import {
  checkSdkAppId,
  checkSecret,
  parsePrivateMapKey,
  parseRemoveUser,
  parseRoomRef,
  parseUserSig,
} from './room-server.checks.js';
import type { ServerAction } from './room-server.errors.js';
import type { RoomServer } from './room-server.types.js';
import { createApiCall, TRTC_API_HOST } from './tencent-api.js';
import type { ApiCall, ApiTarget } from './tencent-api.js';
import { createSigner } from './tls-sig.js';
import type { UserSigSigner } from './tls-sig.js';

export const DEFAULT_SERVER_TIMEOUT_MS = 10_000;
/** RemoveUser and DismissRoom are served in ap-beijing, ap-guangzhou and ap-singapore. */
export const DEFAULT_REGION = 'ap-guangzhou';

export interface RoomServerOptions {
  /** The application's SDKAppID (TRTC console). */
  sdkAppId: number;
  /** The application's SDK SecretKey (TRTC console): signs userSigs and privateMapKeys. */
  secretKey?: string;
  /** A Tencent Cloud API key's SecretId (CAM console, API keys): with `apiSecretKey`, signs RemoveUser and DismissRoom. */
  secretId?: string;
  /** That API key's SecretKey. Not the application's `secretKey`. */
  apiSecretKey?: string;
  /** Default 'ap-guangzhou'. The API serves ap-beijing, ap-guangzhou and ap-singapore. */
  region?: string;
  /**
   * Default 'trtc.tencentcloudapi.com' (https). A host ('trtc.intl.tencentcloudapi.com') or a URL
   * ('http://127.0.0.1:8080' for a stand-in). The request is signed for the service named by the
   * host's first label, so Tencent's own endpoints start with `trtc.`.
   */
  endpoint?: string;
  /** Bound of each API call, in ms. Default 10 000. */
  timeoutMs?: number;
  /** An http(s) Agent for the API calls (a proxy agent, say), handed to the Tencent client. */
  agent?: Agent;
}

const COMMAND = 'createRoomServer';

function invalid(field: string, message: string): RoomError {
  return new RoomError('INVALID_PARAMETER', `${COMMAND}(): ${message}`, { field });
}

/** A host[:port], or an http(s) URL with nothing after the host. Never echoed: it may hold credentials. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * `http://` sends signed calls (SecretId, a replayable signature, userIds) in clear: only to a
 * loopback stand-in, or through an agent of the app's own that routes it (a test's, a proxy's).
 */
export function parseEndpoint(endpoint: unknown, ownAgent = false): ApiTarget {
  if (endpoint === undefined) return { protocol: 'https://', host: TRTC_API_HOST };
  const refuse = () => invalid('endpoint', "endpoint must be a host like 'trtc.tencentcloudapi.com' or a URL like 'https://host:port'");
  if (typeof endpoint !== 'string') throw refuse();
  if (/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(endpoint)) return { protocol: 'https://', host: endpoint };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw refuse();
  }
  const bare = url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !bare) throw refuse();
  if (url.protocol === 'http:' && !ownAgent && !LOOPBACK_HOST.test(url.hostname)) {
    throw invalid('endpoint', 'endpoint: http:// only for a loopback stand-in (localhost, 127.x.x.x, [::1]); use https:// for anything else');
  }
  return { protocol: url.protocol === 'https:' ? 'https://' : 'http://', host: url.host };
}

function parseTimeout(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return DEFAULT_SERVER_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) {
    throw invalid('timeoutMs', `timeoutMs must be a positive number of ms (got ${String(timeoutMs)})`);
  }
  return timeoutMs;
}

function parseRegion(region: unknown): string {
  if (region === undefined) return DEFAULT_REGION;
  if (typeof region !== 'string' || !/^[a-z]+(-[a-z]+)+(-\d+)?$/.test(region)) {
    throw invalid('region', `region must be a Tencent Cloud region like 'ap-guangzhou' (got ${typeof region === 'string' ? JSON.stringify(region) : typeof region})`);
  }
  return region;
}

/**
 * The server side of a TRTC application on Tencent's cloud (Node only). Its Tencent packages are
 * loaded on first use: tls-sig-api-v2 by userSig()/privateMapKey(), tencentcloud-sdk-nodejs-common
 * by removeUser()/dismissRoom(); a missing one is a MISSING_DEPENDENCY RoomError naming the command
 * that installs it.
 */
export function createRoomServer(options: RoomServerOptions): RoomServer {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', 'expected { sdkAppId, secretKey?, secretId?, apiSecretKey?, region?, endpoint? }');
  }
  const sdkAppId = checkSdkAppId(COMMAND, options.sdkAppId);
  const secretKey = checkSecret(COMMAND, 'secretKey', options.secretKey);
  const secretId = checkSecret(COMMAND, 'secretId', options.secretId);
  const apiSecretKey = checkSecret(COMMAND, 'apiSecretKey', options.apiSecretKey);
  const region = parseRegion(options.region);
  const target = parseEndpoint(options.endpoint, options.agent !== undefined);
  const timeoutMs = parseTimeout(options.timeoutMs);
  const { agent } = options;
  const redactor = createRedactor({ values: [secretKey, secretId, apiSecretKey].filter((value) => value !== undefined) });

  let signer: UserSigSigner | undefined;
  const sign = (command: string): UserSigSigner => {
    if (secretKey === undefined) {
      throw new RoomError('INVALID_PARAMETER', `${command}(): needs the application's SDK SecretKey: createRoomServer({ sdkAppId, secretKey })`, { field: 'secretKey' });
    }
    return (signer ??= createSigner(sdkAppId, secretKey, `${command}()`));
  };

  let call: ApiCall | undefined;
  const api = (command: string, action: ServerAction, params: Record<string, unknown>) => {
    if (secretId === undefined || apiSecretKey === undefined) {
      const field = secretId === undefined ? 'secretId' : 'apiSecretKey';
      throw new RoomError('INVALID_PARAMETER', `${command}(): needs a Tencent Cloud API key: createRoomServer({ secretId, apiSecretKey })`, { field });
    }
    call ??= createApiCall({ ...target, secretId, apiSecretKey, region, timeoutMs, mask: redactor.mask, helper: `${command}()`, ...(agent ? { agent } : {}) });
    return call(action, { SdkAppId: sdkAppId, ...params });
  };

  return {
    userSig(userId, userSigOptions) {
      const parsed = parseUserSig(userId, userSigOptions);
      return sign('userSig').userSig(parsed.userId, parsed.expireSeconds);
    },
    privateMapKey(userId, keyOptions) {
      const parsed = parsePrivateMapKey(userId, keyOptions);
      return sign('privateMapKey').privateMapKey(parsed.userId, parsed.room, parsed.privileges, parsed.expireSeconds);
    },
    async removeUser(params) {
      const { roomId, strRoomId, userIds } = parseRemoveUser('removeUser', params);
      return roomId !== undefined
        ? api('removeUser', 'RemoveUser', { RoomId: roomId, UserIds: userIds })
        : api('removeUser', 'RemoveUserByStrRoomId', { RoomId: strRoomId, UserIds: userIds });
    },
    async dismissRoom(params) {
      const { roomId, strRoomId } = parseRoomRef('dismissRoom', params);
      return roomId !== undefined
        ? api('dismissRoom', 'DismissRoom', { RoomId: roomId })
        : api('dismissRoom', 'DismissRoomByStrRoomId', { RoomId: strRoomId });
    },
  };
}
