// A browser a test file keeps, launched again when asked for after it crashed. CI once saw
// Debian's Chromium crash a second into a test, failing it and every later test of the file.
// A crash fails the call in flight with one of the messages vitest.config.ts names (BROWSER_CRASHED);
// it retries a test once on exactly those, and the retry asks live() for a browser. Nothing else
// is retried, so a page that misbehaves is still a failure (test/browser/browser-crash.test.ts).

export interface Relaunching<B> {
  /** The browser, launched anew first if the last one crashed. */
  live(): Promise<B>;
  close(): Promise<void>;
}

export async function relaunching<B extends { close(): Promise<void> }>(launch: () => Promise<B>, connected: (browser: B) => boolean): Promise<Relaunching<B>> {
  let current = launch();
  await current; // a browser that will not start fails here, not in the first test
  return {
    async live() {
      const asked = current;
      // Only the first caller to find it gone launches another.
      if (!connected(await asked) && current === asked) current = launch();
      return current;
    },
    async close() {
      await (await current).close();
    },
  };
}
