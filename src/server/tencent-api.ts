/// <reference types="node" />
// Calls of the TRTC API (version 2019-07-22) through tencentcloud-sdk-nodejs-common's CommonClient,
// which signs them (TC3-HMAC-SHA256). This file only bounds them in time and translates failures.
import type { Agent } from 'node:http';
import { apiFailure, apiTimeout } from './room-server.errors.js';
import type { ServerAction } from './room-server.errors.js';
import type { RoomServerAnswer } from './room-server.types.js';
import { requirePeer } from './peers.js';

export const TRTC_API_HOST = 'trtc.tencentcloudapi.com';
export const TRTC_API_VERSION = '2019-07-22';

interface CommonClientLike {
  request(action: string, params: object, options: { signal: AbortSignal }): Promise<unknown>;
}

interface CommonModule {
  CommonClient: new (
    endpoint: string,
    version: string,
    config: {
      credential: { secretId: string; secretKey: string };
      region: string;
      profile: { httpProfile: { endpoint: string; protocol: string; reqTimeout: number; agent?: Agent } };
    },
  ) => CommonClientLike;
}

export interface ApiTarget {
  protocol: 'https://' | 'http://';
  /** host[:port] */
  host: string;
}

export interface TencentApiConfig extends ApiTarget {
  secretId: string;
  apiSecretKey: string;
  region: string;
  timeoutMs: number;
  agent?: Agent;
  /** Hides every secret in a text. */
  mask: (text: string) => string;
  /** The call that needs the API, for a MISSING_DEPENDENCY message. */
  helper: string;
}

export type ApiCall = (action: ServerAction, params: Record<string, unknown>) => Promise<RoomServerAnswer>;

/**
 * One client for every call. Each call is bounded twice: by the client's own `reqTimeout` (whole
 * seconds, a backstop) and by our timer, which aborts the request and rejects SERVER_TIMEOUT.
 */
export function createApiCall(config: TencentApiConfig): ApiCall {
  const { CommonClient } = requirePeer<CommonModule>('tencentcloud-sdk-nodejs-common', config.helper);
  const client = new CommonClient(TRTC_API_HOST, TRTC_API_VERSION, {
    credential: { secretId: config.secretId, secretKey: config.apiSecretKey },
    region: config.region,
    profile: {
      httpProfile: {
        endpoint: config.host,
        protocol: config.protocol,
        reqTimeout: Math.ceil(config.timeoutMs / 1000) + 1,
        ...(config.agent === undefined ? {} : { agent: config.agent }),
      },
    },
  });

  return (action, params) => {
    const abort = new AbortController();
    const request = client.request(action, params, { signal: abort.signal });
    return new Promise<RoomServerAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        abort.abort();
        reject(apiTimeout(action, config.host, config.timeoutMs));
      }, config.timeoutMs);
      request.then(
        (response) => {
          clearTimeout(timer);
          const requestId = (response as { RequestId?: unknown } | null)?.RequestId;
          resolve({ requestId: typeof requestId === 'string' ? requestId : '' });
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(/network timeout/i.test(String((error as { message?: unknown })?.message)) ? apiTimeout(action, config.host, config.timeoutMs) : apiFailure(action, error, config.mask));
        },
      );
    });
  };
}
