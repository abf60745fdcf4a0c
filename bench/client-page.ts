// Entry of the client benchmark page (bundled and served by client.ts): hands the timing
// function to the driver, which calls it through Playwright, with the time from navigation
// until libsodium was ready (bundle fetch, parse and wasm compile).
import { sodiumReady } from '../web/protocol/index.js';
import { timeClientOperations, timeFirstDerivation } from './crypto-timings.js';

const readyAtMs = sodiumReady().then(() => performance.now());
(globalThis as unknown as { parleyBench: unknown }).parleyBench = { timeClientOperations, timeFirstDerivation, readyAtMs: () => readyAtMs };
