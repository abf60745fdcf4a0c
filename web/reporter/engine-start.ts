// Starts the reporter's engine (the Web Worker: its download, then libsodium's WebAssembly
// compiling, or the pure-JavaScript engine without WebAssembly) from a script of its own that the
// page runs as soon as it arrives (async), so the engine loads while the page's styles and main
// script are still downloading and running and while the reporter reads the first view. main.ts imports this same file (one URL,
// so one module in the page: it takes this worker rather than starting another).
export const engineWorker = new Worker('/static/reporter-engine.js', { type: 'module' });

/** Settles if the engine fails (to load, or later): the failure may come before main.ts listens. */
export const engineFailed: Promise<void> = new Promise((resolve) => engineWorker.addEventListener('error', () => resolve()));
