/** Field names whose values never leave the controller, whatever object they are found in. */
export const SECRET_KEYS = ['userSig', 'privateMapKey', 'secretKey', 'sdkSecretKey', 'credential', 'password'] as const;

export const REDACTED = '[redacted]';

/**
 * How many of the secrets given to `addSecret` stay masked: the newest ones. A session holds two
 * (userSig, privateMapKey), a switchRoom or switchRole brings two more, and a late SDK error or
 * event of the previous session may still quote its own two: 8 covers those with room to spare,
 * and keeps the one matcher small enough to rebuild on every add.
 */
export const RECENT_SECRETS = 8;

/** More secrets to hide from inspection events and the SDK call log. */
export interface RedactOptions {
  /** Field names (matched case-insensitively) whose values are replaced, e.g. `['userId']`. */
  keys?: readonly string[];
  /**
   * Values replaced wherever they appear, also inside longer strings such as error messages (a
   * number matches exactly). Kept for the controller's whole life, unlike the secrets it is given.
   */
  values?: readonly string[];
}

export interface Redactor {
  /** A plain, serialisable copy of `value` (as JSON would see it) with every secret replaced. */
  redact(value: unknown): unknown;
  /**
   * Marks a value as secret (the controller adds each userSig and privateMapKey it is given).
   * Only the secrets that can still appear are kept: the {@link RECENT_SECRETS} most recently
   * added (adding one again makes it the newest), besides `values`, which are never dropped. An
   * older secret is masked no more: at least four enters or switches have followed it (each
   * brings at most two), and nothing the SDK reports by then still quotes it.
   */
  addSecret(value: unknown): void;
  /** The text with every secret value replaced. */
  mask(text: string): string;
}

const MAX_DEPTH = 12;

/** Longer secrets stay out of the one pattern (a real userSig is a few hundred characters). */
const MAX_PATTERN_SECRET = 4096;

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createRedactor(options: RedactOptions = {}): Redactor {
  const keys = new Set([...SECRET_KEYS, ...(options.keys ?? [])].map((key) => key.toLowerCase()));
  const fixed = new Set((options.values ?? []).filter((value) => typeof value === 'string' && value !== ''));
  /** Oldest first: a Set keeps insertion order. */
  const recent = new Set<string>();
  let values: ReadonlySet<string> = fixed;
  // One pass over a text finds every secret. Longest first, so where two start at the same place
  // the longer wins and a secret inside another never leaves pieces of the longer one behind.
  let matcher: RegExp | undefined;
  // Secrets too long for a pattern (a regular expression has a size limit): replaced one by one
  // before the pattern runs, longest first, being longer than every secret in it.
  let long: string[] = [];
  let shortest = 0;

  const rebuild = () => {
    values = new Set([...fixed, ...recent]);
    const ordered = [...values].sort((a, b) => b.length - a.length);
    long = ordered.filter((secret) => secret.length > MAX_PATTERN_SECRET);
    const short = ordered.filter((secret) => secret.length <= MAX_PATTERN_SECRET);
    matcher = short.length === 0 ? undefined : new RegExp(short.map(escaped).join('|'), 'g');
    shortest = ordered.at(-1)?.length ?? 0;
  };
  rebuild();

  const addSecret = (value: unknown) => {
    if (typeof value !== 'string' || value === '' || fixed.has(value)) return;
    const known = recent.delete(value);
    recent.add(value);
    if (known) return;
    if (recent.size > RECENT_SECRETS) recent.delete(recent.values().next().value as string);
    rebuild();
  };

  const maskString = (text: string): string => {
    if (text.length < shortest) return text;
    let masked = text;
    for (const secret of long) if (masked.includes(secret)) masked = masked.split(secret).join(REDACTED);
    return matcher === undefined ? masked : masked.replace(matcher, REDACTED);
  };

  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return maskString(value);
    if (typeof value === 'number' && values.has(String(value))) return REDACTED;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[deep]';
    seen.add(value);
    try {
      return walkObject(value, depth, seen);
    } finally {
      seen.delete(value);
    }
  };

  const walkObject = (value: object, depth: number, seen: WeakSet<object>): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen) ?? null);
    if (value instanceof Error) return walk(errorFields(value), depth, seen);
    // Snapshots and actor refs say how they serialise (XState's toJSON drops the machine and methods).
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return walk(toJSON.call(value), depth + 1, seen);
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return `[${value.constructor?.name ?? 'object'}]`;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (keys.has(key.toLowerCase())) {
        copy[key] = REDACTED;
        continue;
      }
      const clean = walk(item, depth + 1, seen);
      if (clean !== undefined) copy[key] = clean;
    }
    return copy;
  };

  return { redact: (value) => walk(value, 0, new WeakSet()), addSecret, mask: maskString };
}

/** An error's own fields plus name and message (which are not enumerable). */
function errorFields(error: Error): Record<string, unknown> {
  return { ...Object.fromEntries(Object.entries(error)), name: error.name, message: error.message };
}
