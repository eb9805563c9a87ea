import { RoomError } from '../../errors.js';

// Reading what callers pass: each field read once into a plain object and checked, so what is
// checked is what is handed on; a throwing getter or Proxy, a polluted prototype or an
// unreadable list is INVALID_PARAMETER naming the field.

/** The longest list an option takes (views, TURN servers, redact lists): longer is a mistake, and reading it would hang. */
const MAX_LIST = 1024;
/** The largest delay a timer takes (2^31 - 1 ms): a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export function invalid(field: string, message: string, command = 'enter', cause?: unknown): RoomError {
  return new RoomError('INVALID_PARAMETER', `${command}(): ${message}`, { field, ...(cause === undefined ? {} : { cause }) });
}

/** A value as a message shows it: short whatever it is (a 10 MB string is cut). */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      return value === null ? 'null' : typeof value;
  }
}

export const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/**
 * Reads each field once into a plain object, so what is checked is what is handed on: a getter
 * cannot answer differently later, and a getter or Proxy that throws is a bad parameter. Inherited
 * fields count (the SDK would read them too), but not one found on a polluted Object.prototype:
 * the SDK would read that off any object, so it is refused.
 */
export function snapshotOf<K extends string>(value: object, fields: readonly K[], command: string, parent = ''): Partial<Record<K, unknown>> {
  const copy: Partial<Record<K, unknown>> = {};
  for (const field of fields) {
    const name = join(parent, field);
    let read: unknown;
    try {
      read = (value as Record<string, unknown>)[field];
    } catch (error) {
      throw invalid(name, `reading ${name} threw`, command, error);
    }
    if (read === undefined) continue;
    if (Object.hasOwn(Object.prototype, field) && read === (Object.prototype as Record<string, unknown>)[field]) {
      throw invalid(name, `${name} comes from Object.prototype, which something has polluted`, command);
    }
    copy[field] = read;
  }
  return copy;
}

/** Array.isArray, which throws for a revoked Proxy. */
export function isList(value: unknown, field: string, command: string): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch (error) {
    throw invalid(field, `${field} cannot be read`, command, error);
  }
}

/** An object, not a list: an argument or option that holds fields. */
export function objectOf(value: unknown, field: string, command: string, shape: string): object {
  if (typeof value !== 'object' || value === null || isList(value, field, command)) {
    throw invalid(field, `expected ${shape} (got ${describe(value)})`, command);
  }
  return value;
}

// ---- field checks: each takes a value read once and returns what is handed on ----

export type Check = (value: unknown, field: string, command: string) => unknown;

export const rule =
  (ok: (value: unknown) => boolean, expected: string): Check =>
  (value, field, command) => {
    if (!ok(value)) throw invalid(field, `${field} must be ${expected} (got ${describe(value)})`, command);
    return value;
  };

export const oneOf = (...allowed: readonly unknown[]): Check => {
  const names = allowed.map((value) => (typeof value === 'string' ? `'${value}'` : String(value)));
  return rule((value) => allowed.includes(value), `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`);
};
export const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const bool = rule((value) => typeof value === 'boolean', 'true or false');
export const text = rule((value) => typeof value === 'string', 'a string');
export const finite = rule(isFinite, 'a finite number');
export const atLeast = (min: number) => rule((value) => isFinite(value) && value >= min, `a number, ${min} or more`);
export const within = (min: number, max: number) => rule((value) => isFinite(value) && value >= min && value <= max, `a number from ${min} to ${max}`);

/** An object's `fields`, each read once and checked, into a plain object; `required` ones must be there. */
export function fieldsOf(value: unknown, fields: Record<string, Check>, command: string, field: string, expected: string, parent: string, required: readonly string[] = []) {
  const read = snapshotOf(objectOf(value, field, command, expected), Object.keys(fields), command, parent);
  const checked: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const name = join(parent, key);
    if (read[key] !== undefined) checked[key] = fields[key]?.(read[key], name, command);
    else if (required.includes(key)) throw invalid(name, `${name} is required`, command);
  }
  return checked;
}

export const shape =
  (fields: Record<string, Check>, expected: string, required?: readonly string[]): Check =>
  (value, field, command) =>
    fieldsOf(value, fields, command, field, expected, field, required);

export const orString =
  (other: Check): Check =>
  (value, field, command) =>
    typeof value === 'string' ? value : other(value, field, command);

/** A list read once (its length, then each item) into a plain array. */
export const listOf =
  (item: Check, expected: string): Check =>
  (value, field, command) => {
    if (!isList(value, field, command)) throw invalid(field, `${field} must be ${expected} (got ${describe(value)})`, command);
    let items: unknown[];
    try {
      const { length } = value;
      if (length > MAX_LIST) throw invalid(field, `${field} has ${length} items; at most ${MAX_LIST} are taken`, command);
      items = Array.from({ length }, (_, i) => value[i]);
    } catch (error) {
      if (error instanceof RoomError) throw error;
      throw invalid(field, `reading ${field} threw`, command, error);
    }
    return items.map((entry) => item(entry, field, command));
  };

/** One of the browser's objects (an element, a media track); outside a browser, any object but a list. */
export const instanceOf =
  (name: 'HTMLElement' | 'MediaStreamTrack'): Check =>
  (value, field, command) => {
    const type = (globalThis as Record<string, unknown>)[name];
    let ok = false;
    try {
      if (typeof value === 'object' && value !== null) ok = typeof type === 'function' ? value instanceof type : !Array.isArray(value);
    } catch (error) {
      throw invalid(field, `${field} cannot be read`, command, error);
    }
    if (!ok) throw invalid(field, `${field} must be a ${name} (got ${describe(value)})`, command);
    return value;
  };

export const element = instanceOf('HTMLElement');
export const track = instanceOf('MediaStreamTrack');

/** Where video renders: an element id, an element, a list of elements, or null. */
export const view: Check = (value, field, command) => {
  if (value === null) return value;
  if (typeof value === 'string') {
    // As the SDK does (5009): an id names an element of the page.
    if (value === '' || (typeof document !== 'undefined' && !document.getElementById(value))) {
      throw invalid(field, `${field} ${describe(value)} is not the id of an element on the page`, command);
    }
    return value;
  }
  if (typeof value !== 'object') {
    throw invalid(field, `${field} must be an element id, an element, a list of elements or null (got ${describe(value)})`, command);
  }
  return isList(value, field, command) ? listOf(element, 'a list of elements')(value, field, command) : element(value, field, command);
};

