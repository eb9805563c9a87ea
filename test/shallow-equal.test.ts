import { describe, expect, it } from 'vitest';
import { shallowEqual } from '../src/bindings/shallow-equal.js';
import { shallowEqual as fromReact } from '../src/bindings/react.js';
import { shallowEqual as fromVue } from '../src/bindings/vue.js';

describe('shallowEqual', () => {
  const inner = { on: true };
  it.each([
    [1, 1, true],
    [NaN, NaN, true],
    [0, -0, false],
    ['a', 'b', false],
    [null, {}, false],
    [{ a: 1, b: inner }, { b: inner, a: 1 }, true],
    [{ a: 1, b: inner }, { a: 1, b: { on: true } }, false],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: undefined }, { b: undefined }, false],
    [[1, inner], [1, inner], true],
    [[1, 2], [1, 2, 3], false],
    [[1], { 0: 1 }, false],
  ])('%j and %j: %s', (a, b, equal) => {
    expect(shallowEqual(a, b)).toBe(equal);
    expect(shallowEqual(b, a)).toBe(equal);
  });

  it('is what both bindings export', () => {
    expect(fromReact).toBe(shallowEqual);
    expect(fromVue).toBe(shallowEqual);
  });
});
