// Issue 13: sodiumReady() itself chooses the pure-JavaScript engine when there is no WebAssembly
// (as in Tor Browser "Safer"), and the protocol then works on it. This file takes WebAssembly away
// before it first loads the protocol (and so libsodium), and puts it back after.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TestVector } from '../support/vector-runner.js';

const vector = (name: string) => JSON.parse(readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), 'utf8')) as TestVector;

describe('without WebAssembly', () => {
  it('sodiumReady chooses the noble engine, once, without starting libsodium (no uncaught error), and the protocol runs', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
    const uncaught: unknown[] = [];
    const onUncaught = (reason: unknown) => uncaught.push(reason);
    process.on('unhandledRejection', onUncaught);
    Reflect.deleteProperty(globalThis, 'WebAssembly');
    let chosen: string;
    try {
      expect(typeof (globalThis as { WebAssembly?: unknown }).WebAssembly).toBe('undefined');
      const { sodiumReady } = await import('../../web/protocol/index.js');
      chosen = await sodiumReady();
      await new Promise((resolve) => setTimeout(resolve, 200)); // time for libsodium's start to fail
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', saved);
      process.off('unhandledRejection', onUncaught);
    }
    expect(chosen).toBe('noble');
    expect(uncaught.map((e) => String((e as Error).stack ?? e))).toEqual([]); // libsodium was never started
    const { sodiumReady } = await import('../../web/protocol/index.js');
    expect(await sodiumReady()).toBe('noble'); // decided once: WebAssembly being back changes nothing
    const { runVector } = await import('../support/vector-runner.js');
    for (const name of ['mailbox-key-derivation', 'message-encrypt', 'sealed-case-key-open', 'flipped-signature-bit', 'org-key-chain']) {
      expect(runVector(vector(name)), name).toEqual({ ok: true });
    }
  });
});
