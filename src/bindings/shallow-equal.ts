/**
 * Equal when both are the same value (Object.is), or objects (arrays included) with the same own
 * keys whose values are the same by Object.is: pass as `isEqual` to a selector that builds a new
 * object or array each time, such as `(view) => ({ state: view.state, muted: view.muted })`.
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysOfA = Object.keys(a);
  if (keysOfA.length !== Object.keys(b).length) return false;
  return keysOfA.every(
    (key) => Object.prototype.hasOwnProperty.call(b, key) && Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
