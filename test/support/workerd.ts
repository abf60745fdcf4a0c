// The tests' way to run the Workers build in workerd: scripts/lib/workerd.ts, shared with bench/workers-d1.ts.
export * from '../../scripts/lib/workerd.js';
