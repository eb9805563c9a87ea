import { createHmac } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { genTestUserSig, TestUserSigError } from '../examples/demo/test-usersig.js';

// A made-up key of the console's shape (64 hex digits).
const SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';

/** Undoes what genTestUserSig does: the TLS alphabet, base64, zlib, JSON. */
function decode(userSig: string): Record<string, unknown> {
  const base64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  return JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8')) as Record<string, unknown>;
}

describe('the demo\'s genTestUserSig (TLS signature v2, Web Crypto only)', () => {
  it('signs a doc that decodes to every TLS v2 field, with an HMAC-SHA256 node:crypto agrees with', async () => {
    const before = Math.floor(Date.now() / 1000);
    const userSig = await genTestUserSig({ sdkAppId: 1400123456, userId: 'alice', secretKey: SECRET_KEY });
    const after = Math.floor(Date.now() / 1000);

    expect(userSig).toMatch(/^[A-Za-z0-9*\-_]+$/);
    const doc = decode(userSig);
    expect(Object.keys(doc)).toEqual(['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.expire', 'TLS.time', 'TLS.sig']);
    expect(doc).toMatchObject({ 'TLS.ver': '2.0', 'TLS.identifier': 'alice', 'TLS.sdkappid': 1400123456, 'TLS.expire': 604800 });
    const time = doc['TLS.time'];
    expect(typeof time).toBe('number');
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);

    const content = `TLS.identifier:alice\nTLS.sdkappid:1400123456\nTLS.time:${String(time)}\nTLS.expire:604800\n`;
    expect(doc['TLS.sig']).toBe(createHmac('sha256', SECRET_KEY).update(content).digest('base64'));
  });

  it('takes expireSeconds, and signs what it puts in the doc', async () => {
    const doc = decode(await genTestUserSig({ sdkAppId: 20000001, userId: 'bob_2', secretKey: SECRET_KEY, expireSeconds: 3600 }));
    expect(doc).toMatchObject({ 'TLS.identifier': 'bob_2', 'TLS.sdkappid': 20000001, 'TLS.expire': 3600 });
    const content = `TLS.identifier:bob_2\nTLS.sdkappid:20000001\nTLS.time:${String(doc['TLS.time'])}\nTLS.expire:3600\n`;
    expect(doc['TLS.sig']).toBe(createHmac('sha256', SECRET_KEY).update(content).digest('base64'));
  });

  it('another key gives another signature', async () => {
    const doc = decode(await genTestUserSig({ sdkAppId: 1400123456, userId: 'alice', secretKey: `${SECRET_KEY.slice(1)}0` }));
    const content = `TLS.identifier:alice\nTLS.sdkappid:1400123456\nTLS.time:${String(doc['TLS.time'])}\nTLS.expire:604800\n`;
    expect(doc['TLS.sig']).not.toBe(createHmac('sha256', SECRET_KEY).update(content).digest('base64'));
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['a zero sdkAppId', { sdkAppId: 0 }, 'sdkAppId'],
    ['a negative sdkAppId', { sdkAppId: -5 }, 'sdkAppId'],
    ['a fractional sdkAppId', { sdkAppId: 1400.5 }, 'sdkAppId'],
    ['an sdkAppId as a string', { sdkAppId: '1400123456' }, 'sdkAppId'],
    ['an empty userId', { userId: '' }, 'userId'],
    ['a blank userId', { userId: '   ' }, 'userId'],
    ['a userId with spaces around it', { userId: ' alice' }, 'userId'],
    ['a userId that is not a string', { userId: 42 }, 'userId'],
    ['an empty secretKey', { secretKey: '' }, 'secretKey'],
    ['a secretKey with a trailing newline', { secretKey: `${SECRET_KEY}\n` }, 'secretKey'],
    ['a missing secretKey', { secretKey: undefined }, 'secretKey'],
    ['a zero expireSeconds', { expireSeconds: 0 }, 'expireSeconds'],
    ['a fractional expireSeconds', { expireSeconds: 1.5 }, 'expireSeconds'],
  ];
  it.each(bad)('refuses %s with a TestUserSigError naming the field', async (_, change, field) => {
    const input = { sdkAppId: 1400123456, userId: 'alice', secretKey: SECRET_KEY, ...change } as Parameters<typeof genTestUserSig>[0];
    const error: unknown = await genTestUserSig(input).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TestUserSigError);
    expect(error).toMatchObject({ name: 'TestUserSigError', field });
    expect((error as Error).message).toMatch(new RegExp(field));
  });
});
