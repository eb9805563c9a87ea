/// <reference types="node" />
// From the dev server's environment (examples/demo/.env.local, or variables set in the shell) to
// the room servers real mode uses, and what the page may know of them. The variables are the
// `trtc-room-machine` command's, plus TRTC_WEBSOCKET_PROXY.
// The source, not the package: `npm start` runs without a build. An app imports 'trtc-room-machine/server'.
import { createRoomServer, isRoomError } from '../../src/server/index.js';
import type { RoomServer, RoomServerOptions } from '../../src/server/index.js';
import type { Availability, DevConfig } from './dev-api.types.js';

export type DevEnv = Readonly<Record<string, string | undefined>>;

/** What loadEnv() passes on: these prefixes only, so nothing else of the environment is read. */
export const ENV_PREFIXES = ['TRTC_', 'TENCENTCLOUD_'];

/** Which variable an option of createRoomServer() comes from, to name it in a message. */
const VARIABLE_OF: Record<string, string> = {
  sdkAppId: 'TRTC_SDK_APP_ID',
  secretKey: 'TRTC_SECRET_KEY',
  secretId: 'TENCENTCLOUD_SECRET_ID',
  apiSecretKey: 'TENCENTCLOUD_SECRET_KEY',
  region: 'TRTC_REGION',
  endpoint: 'TRTC_API_ENDPOINT',
};

export interface DevSetup {
  /** What GET /api/config answers. */
  config: DevConfig;
  /** Signs userSigs: built from TRTC_SDK_APP_ID and TRTC_SECRET_KEY only. */
  signer?: RoomServer;
  /** Calls RemoveUser and DismissRoom: built from TRTC_SDK_APP_ID and the API key only. */
  api?: RoomServer;
}

const notSet = (missing: string[]): Availability => ({
  ready: false,
  missing,
  reason: `${missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`} ${missing.length === 1 ? 'is' : 'are'} not set`,
});

/**
 * One room server per secret, so that each needs only its own: a malformed API key does not stop
 * userSigs. A refused value is named by its variable; createRoomServer() never quotes a secret.
 */
function build(names: string[], options: () => RoomServerOptions, env: DevEnv): { availability: Availability; server?: RoomServer } {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) return { availability: notSet(missing) };
  const appId = env.TRTC_SDK_APP_ID ?? '';
  if (!/^\d+$/.test(appId)) {
    return { availability: { ready: false, missing: [], reason: `TRTC_SDK_APP_ID must be the SDKAppID, a whole number (got ${JSON.stringify(appId)})` } };
  }
  try {
    return { availability: { ready: true }, server: createRoomServer(options()) };
  } catch (error) {
    if (!isRoomError(error)) throw error;
    const variable = VARIABLE_OF[error.field ?? ''] ?? 'the environment';
    return { availability: { ready: false, missing: [], reason: `${variable}: ${error.message}` } };
  }
}

export function setUpDevServer(env: DevEnv): DevSetup {
  const sdkAppId = Number(env.TRTC_SDK_APP_ID);
  const signer = build(['TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY'], () => ({ sdkAppId, secretKey: env.TRTC_SECRET_KEY }), env);
  const api = build(
    ['TRTC_SDK_APP_ID', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'],
    () => ({
      sdkAppId,
      secretId: env.TENCENTCLOUD_SECRET_ID,
      apiSecretKey: env.TENCENTCLOUD_SECRET_KEY,
      ...(env.TRTC_REGION ? { region: env.TRTC_REGION } : {}),
      ...(env.TRTC_API_ENDPOINT ? { endpoint: env.TRTC_API_ENDPOINT } : {}),
    }),
    env,
  );
  const config: DevConfig = { userSig: signer.availability, api: api.availability };
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
