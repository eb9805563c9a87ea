// What the demo's dev server (dev-server.ts) and the page (dev-api.ts) say to each other.
// No secret is ever part of it: the page learns what is configured, never a key.

/** Whether the dev server can do something; if not, why (`missing`: the variables not set). */
export type Availability = { ready: true } | { ready: false; missing: string[]; reason: string };

/** GET /api/config */
export interface DevConfig {
  /** TRTC_SDK_APP_ID, when it is set and a whole number. */
  sdkAppId?: number;
  /** userSigs, signed with TRTC_SECRET_KEY. */
  userSig: Availability;
  /** RemoveUser and DismissRoom, signed with TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY. */
  api: Availability;
  /** TRTC_WEBSOCKET_PROXY: enterRoom's `proxy.websocketProxy` (a signalling proxy on your network). */
  websocketProxy?: string;
}

/** GET /api/usersig?userId= */
export interface UserSigAnswer {
  userId: string;
  sdkAppId: number;
  userSig: string;
}

/** POST /api/remove-user, POST /api/dismiss-room: what Tencent's API answered. */
export interface ApiAnswer {
  action: string;
  requestId: string;
}

/**
 * A refusal or a failure. `code` is a RoomError code (INVALID_PARAMETER, SERVER_API_FAILED,
 * SERVER_TIMEOUT, MISSING_DEPENDENCY) or the dev server's own: NOT_CONFIGURED (`missing` names the
 * variables), FORBIDDEN (a request from another site), BAD_REQUEST, NOT_FOUND, INTERNAL.
 */
export interface DevErrorBody {
  error: {
    code: string;
    message: string;
    missing?: string[];
    field?: string;
    action?: string;
    apiCode?: string;
    requestId?: string;
    httpStatus?: number;
  };
}
