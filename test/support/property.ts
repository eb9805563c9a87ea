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
