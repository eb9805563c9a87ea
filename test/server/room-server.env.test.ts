import { describe, expect, it } from 'vitest';
import { createRoomServer, roomServerOptionsFromEnv, variableOfOption } from '../../src/server/index.js';

const APP = { TRTC_SDK_APP_ID: '1400000000' };
const SIGNING = { ...APP, TRTC_SECRET_KEY: 'app-secret-key' };
const API = { ...APP, TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'api-secret-key' };

describe('roomServerOptionsFromEnv', () => {
  it('reads the signing options from TRTC_SDK_APP_ID and TRTC_SECRET_KEY only', () => {
    expect(roomServerOptionsFromEnv({ ...SIGNING, TRTC_REGION: 'ap-beijing', TENCENTCLOUD_SECRET_ID: 'x' }, 'userSig')).toEqual({
      ready: true,
      options: { sdkAppId: 1400000000, secretKey: 'app-secret-key' },
    });
  });

  it('reads the API options from the key pair, with the region and endpoint when set', () => {
    expect(roomServerOptionsFromEnv(API, 'api')).toEqual({
      ready: true,
      options: { sdkAppId: 1400000000, secretId: 'AKIDexample', apiSecretKey: 'api-secret-key' },
    });
    const elsewhere = roomServerOptionsFromEnv({ ...API, TRTC_REGION: 'ap-singapore', TRTC_API_ENDPOINT: 'trtc.intl.tencentcloudapi.com' }, 'api');
    expect(elsewhere).toMatchObject({ ready: true, options: { region: 'ap-singapore', endpoint: 'trtc.intl.tencentcloudapi.com' } });
  });

  it('names every missing variable, an empty one included, and needs only its own secret', () => {
    expect(roomServerOptionsFromEnv({}, 'userSig')).toEqual({
      ready: false,
      missing: ['TRTC_SDK_APP_ID', 'TRTC_SECRET_KEY'],
      reason: 'TRTC_SDK_APP_ID and TRTC_SECRET_KEY are not set',
    });
    expect(roomServerOptionsFromEnv({ ...APP, TENCENTCLOUD_SECRET_ID: '' }, 'api')).toMatchObject({
      ready: false,
      missing: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'],
    });
    expect(roomServerOptionsFromEnv(API, 'userSig')).toMatchObject({ ready: false, missing: ['TRTC_SECRET_KEY'], reason: 'TRTC_SECRET_KEY is not set' });
  });

  it('refuses an SDKAppID that is not a whole number, quoting it, and never quotes a secret', () => {
    const reading = roomServerOptionsFromEnv({ ...SIGNING, TRTC_SDK_APP_ID: 'app-1' }, 'userSig');
    expect(reading).toEqual({ ready: false, missing: [], reason: 'TRTC_SDK_APP_ID must be the SDKAppID, a whole number (got "app-1")' });
    expect(JSON.stringify(reading)).not.toContain('app-secret-key');
  });

  it('gives options createRoomServer() takes, and names the variable behind an option it refuses', () => {
    const reading = roomServerOptionsFromEnv(SIGNING, 'userSig');
    if (!reading.ready) throw new Error(reading.reason);
    expect(createRoomServer(reading.options).userSig('alice')).toMatch(/^[A-Za-z0-9*_-]+$/);
    expect(variableOfOption('apiSecretKey')).toBe('TENCENTCLOUD_SECRET_KEY');
    expect(variableOfOption('agent')).toBeUndefined();
    expect(variableOfOption('toString')).toBeUndefined();
  });
});
