/// <reference types="node" />
// From the dev server's environment (examples/demo/.env.local, or variables set in the shell) to
// the room servers real mode uses, and what the page may know of them. The variables are the
// `trtc-room-machine` command's, plus TRTC_WEBSOCKET_PROXY.
// The source, not the package: `npm start` runs without a build. An app imports 'trtc-room-machine/server'.
import { createRoomServer, isRoomError, roomServerOptionsFromEnv, variableOfOption } from '../../src/server/index.js';
import type { RoomServer, RoomServerEnv, RoomServerUse } from '../../src/server/index.js';
import type { Availability, DevConfig } from './dev-api.types.js';

export type DevEnv = RoomServerEnv;

/** What loadEnv() passes on: these prefixes only, so nothing else of the environment is read. */
export const ENV_PREFIXES = ['TRTC_', 'TENCENTCLOUD_'];

export interface DevSetup {
  /** What GET /api/config answers. */
  config: DevConfig;
  /** Signs userSigs: built from TRTC_SDK_APP_ID and TRTC_SECRET_KEY only. */
  signer?: RoomServer;
  /** Calls RemoveUser and DismissRoom: built from TRTC_SDK_APP_ID and the API key only. */
  api?: RoomServer;
}

/**
 * One room server per secret, so that each needs only its own: a malformed API key does not stop
 * userSigs. A refused value is named by its variable; createRoomServer() never quotes a secret.
 */
function build(env: DevEnv, use: RoomServerUse): { availability: Availability; server?: RoomServer } {
  const reading = roomServerOptionsFromEnv(env, use);
  if (!reading.ready) return { availability: reading };
  try {
    return { availability: { ready: true }, server: createRoomServer(reading.options) };
  } catch (error) {
    if (!isRoomError(error)) throw error;
    return { availability: { ready: false, missing: [], reason: `${variableOfOption(error.field) ?? 'the environment'}: ${error.message}` } };
  }
}

export function setUpDevServer(env: DevEnv): DevSetup {
  const signer = build(env, 'userSig');
  const api = build(env, 'api');
  const config: DevConfig = { userSig: signer.availability, api: api.availability };
  const sdkAppId = Number(env.TRTC_SDK_APP_ID);
  if (Number.isSafeInteger(sdkAppId) && sdkAppId > 0) config.sdkAppId = sdkAppId;
  // Not a secret: where the SDK's signalling goes. The tests point it at a loopback stand-in.
  if (env.TRTC_WEBSOCKET_PROXY) config.websocketProxy = env.TRTC_WEBSOCKET_PROXY;
  return { config, ...(signer.server ? { signer: signer.server } : {}), ...(api.server ? { api: api.server } : {}) };
}

/** One line for the terminal: what real mode can do with this environment. */
export function describeSetup({ config }: DevSetup): string {
  const state = (availability: Availability) => (availability.ready ? 'ready' : `off (${availability.reason})`);
  return `real mode: userSigs ${state(config.userSig)}; RemoveUser / DismissRoom ${state(config.api)}`;
}
