import fc from 'fast-check';
import { it, vi } from 'vitest';

/**
 * fast-check options from the environment: PROPERTY_RUNS sets the count (else `runs`);
 * PROPERTY_SEED and PROPERTY_PATH replay a failure fast-check reported.
 */
export function propertyOptions(runs: number): { numRuns: number; seed?: number; path?: string } {
  const { PROPERTY_RUNS: count, PROPERTY_SEED: seed, PROPERTY_PATH: path } = process.env;
  return {
    numRuns: count === undefined ? runs : Number(count),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(path === undefined ? {} : { path }),
  };
}

/** One scenario's run: each step is performed, then checked; `finish` ends it (destroy, last checks). */
export interface ScenarioRun<Step> {
  perform(step: Step): Promise<void>;
  check(): void;
  finish(): Promise<void>;
}

/**
 * Plays one scenario on fake timers cleared first (a run may start timers as it is made):
 * `settle` runs between a step and its check.
 */
export async function playScenario<Step>(makeRun: () => ScenarioRun<Step>, steps: readonly Step[], settle?: () => Promise<void>): Promise<void> {
  vi.clearAllTimers();
  const run = makeRun();
  for (const step of steps) {
    await run.perform(step);
    await settle?.();
    run.check();
  }
  await run.finish();
}

/** A test that plays `runs` scenarios of `scenarios` (PROPERTY_RUNS and friends apply) on fake timers. */
export function itHoldsOverScenarios<Scenario>(
  title: string,
  scenarios: fc.Arbitrary<Scenario>,
  play: (scenario: Scenario) => Promise<void>,
  runs: number,
  timeoutMs: number,
): void {
  it(
    title,
    async () => {
      vi.useFakeTimers();
      try {
        await fc.assert(fc.asyncProperty(scenarios, play), propertyOptions(runs));
      } finally {
        vi.useRealTimers();
      }
    },
    timeoutMs,
  );
}
