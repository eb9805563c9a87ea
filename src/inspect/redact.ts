/** Field names whose values never leave the controller, whatever object they are found in. */
export const SECRET_KEYS = ['userSig', 'privateMapKey', 'secretKey', 'sdkSecretKey', 'credential', 'password'] as const;

export const REDACTED = '[redacted]';

/** More secrets to hide from inspection events and the SDK call log. */
export interface RedactOptions {
  /** Field names (matched case-insensitively) whose values are replaced, e.g. `['userId']`. */
  keys?: readonly string[];
  /** Values replaced wherever they appear, also inside longer strings such as error messages (a number matches exactly). */
  values?: readonly string[];
}

export interface Redactor {
  /** A plain, serialisable copy of `value` (as JSON would see it) with every secret replaced. */
  redact(value: unknown): unknown;
  /** Marks a value as secret from now on (the controller adds each userSig and privateMapKey it is given). */
  addSecret(value: unknown): void;
  /** The text with every secret value replaced. */
  mask(text: string): string;
}

const MAX_DEPTH = 12;

export function createRedactor(options: RedactOptions = {}): Redactor {
  const keys = new Set([...SECRET_KEYS, ...(options.keys ?? [])].map((key) => key.toLowerCase()));
  const values = new Set<string>();
  // Longest first, so a secret inside another one never leaves pieces of the longer one behind.
  let ordered: string[] = [];

  const addSecret = (value: unknown) => {
    if (typeof value !== 'string' || value === '' || values.has(value)) return;
    values.add(value);
    ordered = [...values].sort((a, b) => b.length - a.length);
  };
  for (const value of options.values ?? []) addSecret(value);

  const maskString = (text: string): string => {
    let masked = text;
    for (const secret of ordered) if (masked.includes(secret)) masked = masked.split(secret).join(REDACTED);
    return masked;
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
