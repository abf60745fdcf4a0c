// The short fuzz run inside `npm test` (the long one is `npm run fuzz`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRoutes } from './route-fuzzer.js';
import { makeFuzzTarget } from './fuzz-target.js';

let fuzz: Awaited<ReturnType<typeof makeFuzzTarget>>;
beforeAll(async () => {
  fuzz = await makeFuzzTarget();
});
afterAll(() => fuzz.close());

describe('every route under generated input', () => {
  it('never answers 5xx, always uses the error shape, and refused requests change nothing', async () => {
    const stats = await fuzzRoutes(fuzz.target, 400);
    expect(stats.requests).toBe(400);
    // The generator must reach more than one kind of refusal, or it is not exercising much.
    expect(Object.keys(stats.byCode).length).toBeGreaterThanOrEqual(5);
  });
});
