import type { RoomServerOptions } from './room-server.js';

/** The environment variables `createRoomServer()`'s options are read from, by option. */
export const ROOM_SERVER_ENV = {
  sdkAppId: { variable: 'TRTC_SDK_APP_ID', what: "the application's SDKAppID (TRTC console)" },
  secretKey: { variable: 'TRTC_SECRET_KEY', what: "the application's SDK SecretKey (TRTC console), which signs userSigs" },
  secretId: { variable: 'TENCENTCLOUD_SECRET_ID', what: 'the SecretId of a Tencent Cloud API key (CAM console), which signs API calls' },
  apiSecretKey: { variable: 'TENCENTCLOUD_SECRET_KEY', what: 'the SecretKey of that Tencent Cloud API key' },
  region: { variable: 'TRTC_REGION', what: 'the API region, default ap-guangzhou' },
  endpoint: { variable: 'TRTC_API_ENDPOINT', what: 'the API host, default trtc.tencentcloudapi.com' },
} as const;

type EnvOption = keyof typeof ROOM_SERVER_ENV;

export type RoomServerEnv = Readonly<Record<string, string | undefined>>;

/**
 * What the room server is for: `'userSig'` signs userSigs and privateMapKeys (the SDKAppID and its
 * SecretKey); `'api'` calls RemoveUser and DismissRoom (the SDKAppID and an API key pair). Each
 * needs only its own secret.
 */
export type RoomServerUse = 'userSig' | 'api';

export type RoomServerEnvReading =
  | { ready: true; options: RoomServerOptions }
  /** `missing`: the variables not set (empty when one is set but malformed); `reason`: one line. */
  | { ready: false; missing: string[]; reason: string };

const NEEDED: Readonly<Record<RoomServerUse, readonly EnvOption[]>> = {
  userSig: ['sdkAppId', 'secretKey'],
  api: ['sdkAppId', 'secretId', 'apiSecretKey'],
};

const listed = (names: readonly string[]) => (names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/**
 * The options of `createRoomServer()` for `use`, from environment variables (`process.env`, or
 * what a dev server loaded): TRTC_SDK_APP_ID with TRTC_SECRET_KEY for userSigs;
 * TRTC_SDK_APP_ID with TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TRTC_REGION,
 * TRTC_API_ENDPOINT when set) for the API. Not ready when one is missing or the SDKAppID is not a
 * number; never quotes a secret.
 */
export function roomServerOptionsFromEnv(env: RoomServerEnv, use: RoomServerUse): RoomServerEnvReading {
  const missing = NEEDED[use].map((option) => ROOM_SERVER_ENV[option].variable).filter((variable) => !env[variable]);
  if (missing.length > 0) return { ready: false, missing, reason: `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not set` };
  const appId = env[ROOM_SERVER_ENV.sdkAppId.variable] ?? '';
  if (!/^\d+$/.test(appId)) {
    return { ready: false, missing: [], reason: `TRTC_SDK_APP_ID must be the SDKAppID, a whole number (got ${JSON.stringify(appId.slice(0, 32))})` };
  }
  const read = (option: EnvOption) => env[ROOM_SERVER_ENV[option].variable];
  const options: RoomServerOptions = { sdkAppId: Number(appId) };
  if (use === 'userSig') return { ready: true, options: { ...options, secretKey: read('secretKey') } };
  return {
    ready: true,
    options: {
      ...options,
      secretId: read('secretId'),
      apiSecretKey: read('apiSecretKey'),
      ...(read('region') ? { region: read('region') } : {}),
      ...(read('endpoint') ? { endpoint: read('endpoint') } : {}),
    },
  };
}

/** The variable an option of `createRoomServer()` is read from, to name it when the option is refused. */
export function variableOfOption(option: string | undefined): string | undefined {
  return option !== undefined && Object.hasOwn(ROOM_SERVER_ENV, option) ? ROOM_SERVER_ENV[option as EnvOption].variable : undefined;
}
