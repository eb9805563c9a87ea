import { describe, expect, it } from 'vitest';
import { createRoomController } from '../src/index.js';
import { SimulatedCloud } from '../src/adapters/simulator/index.js';
import { createRedactor, RECENT_SECRETS, REDACTED } from '../src/inspect/redact.js';

const secret = (i: number) => `sig-${i}-${'x'.repeat(20)}`;

describe('createRedactor: which secrets are kept', () => {
  it(`masks the ${RECENT_SECRETS} secrets added last, and no older one`, () => {
    const { addSecret, mask } = createRedactor();
    for (let i = 0; i <= RECENT_SECRETS; i += 1) addSecret(secret(i));
    expect(mask(`old ${secret(0)}`)).toBe(`old ${secret(0)}`);
    for (let i = 1; i <= RECENT_SECRETS; i += 1) expect(mask(`new ${secret(i)}`)).toBe(`new ${REDACTED}`);
  });

  it('makes a secret added again the newest instead of keeping it twice', () => {
    const { addSecret, mask } = createRedactor();
    for (let i = 0; i < RECENT_SECRETS; i += 1) addSecret(secret(i));
    addSecret(secret(0));
    addSecret(secret(RECENT_SECRETS));
    expect(mask(secret(0))).toBe(REDACTED);
    expect(mask(secret(1))).toBe(secret(1));
    for (let i = 2; i <= RECENT_SECRETS; i += 1) expect(mask(secret(i))).toBe(REDACTED);
  });

  it('never drops the values the app gave, however many secrets follow', () => {
    const { addSecret, mask, redact } = createRedactor({ values: ['app-secret', '8888'] });
    addSecret('app-secret');
    for (let i = 0; i < 10 * RECENT_SECRETS; i += 1) addSecret(secret(i));
    expect(mask('app-secret in room 8888')).toBe(`${REDACTED} in room ${REDACTED}`);
    expect(redact({ roomId: 8888 })).toEqual({ roomId: REDACTED });
    // The app's values took none of the recent places.
    for (let i = 9 * RECENT_SECRETS; i < 10 * RECENT_SECRETS; i += 1) expect(mask(secret(i))).toBe(REDACTED);
    expect(mask(secret(9 * RECENT_SECRETS - 1))).toBe(secret(9 * RECENT_SECRETS - 1));
  });

  it('replaces a number that prints as a kept secret, and no longer once the secret is dropped', () => {
    const { addSecret, redact } = createRedactor();
    addSecret('12345');
    expect(redact({ n: 12345, m: 123 })).toEqual({ n: REDACTED, m: 123 });
    for (let i = 0; i < RECENT_SECRETS; i += 1) addSecret(secret(i));
    expect(redact({ n: 12345 })).toEqual({ n: 12345 });
  });

  it('leaves text alone when there is no secret, and ignores empty and non-string secrets', () => {
    const { addSecret, mask } = createRedactor({ values: [''] });
    expect(mask('nothing to hide')).toBe('nothing to hide');
    addSecret('');
    addSecret(42);
    addSecret(undefined);
    expect(mask('nothing to hide 42')).toBe('nothing to hide 42');
  });
});

describe('createRedactor: matching', () => {
  it('replaces the longest secret where several start at the same place, whatever the order they came in', () => {
    for (const order of [
      ['abc', 'abcdef', 'xxabcdefyy'],
      ['xxabcdefyy', 'abcdef', 'abc'],
    ]) {
      const { addSecret, mask } = createRedactor();
      for (const value of order) addSecret(value);
      expect(mask('1 xxabcdefyy 2 abcdef 3 abc 4 abcde')).toBe(`1 ${REDACTED} 2 ${REDACTED} 3 ${REDACTED} 4 ${REDACTED}de`);
    }
  });

  it('matches secrets with regular-expression characters literally', () => {
    const specials = ['a$b', 'p(q', 'back\\slash', '.*', '$&', '[x]+?', 'a|b', '^{2}'];
    const { addSecret, mask } = createRedactor();
    for (const value of specials) addSecret(value);
    expect(mask('nothing special here')).toBe('nothing special here');
    expect(mask(`<${specials.join('> <')}>`)).toBe(`<${specials.map(() => REDACTED).join('> <')}>`);
    expect(mask('ab pq backslash a b')).toBe('ab pq backslash a b');
  });

  it('replaces every occurrence in one string, and inside objects at any depth', () => {
    const { addSecret, mask, redact } = createRedactor();
    addSecret('s3cr3t');
    expect(mask('s3cr3ts3cr3t and s3cr3t')).toBe(`${REDACTED}${REDACTED} and ${REDACTED}`);
    expect(redact({ a: [{ b: 'x s3cr3t y' }] })).toEqual({ a: [{ b: `x ${REDACTED} y` }] });
  });
});

describe('secrets too long for one pattern', () => {
  it('a 10 MB secret is masked beside short ones, the longer first', () => {
    const { addSecret, mask } = createRedactor();
    const huge = 'h'.repeat(10_000_000);
    addSecret(huge);
    addSecret('hh-short');
    addSecret(`${'z'.repeat(5000)}hh-short`);
    expect(mask(`a ${huge} b hh-short c`)).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(mask(`${'z'.repeat(5000)}hh-short`)).toBe(REDACTED);
  });
});

describe('the controller keeps the secrets that can still appear', () => {
  it("masks a late error quoting the previous session's userSig along with the current one", async () => {
    const client = new SimulatedCloud().createClient();
    const room = createRoomController({ trtc: client, enterTimeoutMs: 300, exitTimeoutMs: 150 });
    const config = { sdkAppId: 1400000000, userId: 'alice', roomId: 8888 };
    await room.enter({ ...config, userSig: 'FIRST-SESSION-SIG' });
    await room.exit();
    client.injectFault('enterRoom', { kind: 'reject', code: 5000, message: 'FIRST-SESSION-SIG replaced by SECOND-SESSION-SIG' });
    const failure = await room.enter({ ...config, userSig: 'SECOND-SESSION-SIG' }).catch((error: unknown) => error);
    expect((failure as Error).message).toContain(`${REDACTED} replaced by ${REDACTED}`);
    expect((failure as Error).message).not.toMatch(/SESSION-SIG/);
    await room.destroy();
  });
});

describe('refused commands do not push out the secrets of the session in progress', () => {
  it('eight refused enters while one is in flight: its failure still masks its userSig', async () => {
    const client = new SimulatedCloud().createClient();
    const room = createRoomController({ trtc: client, enterTimeoutMs: 5000 });
    const config = { sdkAppId: 1400000000, userId: 'alice', roomId: 8888 };
    client.injectFault('enterRoom', { kind: 'reject', code: 5400, message: 'bad userSig IN-FLIGHT-SIG' });
    const inFlight = room.enter({ ...config, userSig: 'IN-FLIGHT-SIG' }).catch((error: unknown) => error);
    for (let i = 0; i < RECENT_SECRETS; i += 1) {
      await expect(room.enter({ ...config, userSig: `REFUSED-${i}` })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    }
    const failure = (await inFlight) as Error;
    expect(failure.message).toContain(`bad userSig ${REDACTED}`);
    expect(room.view().error?.message).not.toContain('IN-FLIGHT-SIG');
    await room.destroy();
  });
});
