// Issue 13: "Make a report" or "Open my report" pressed before the engine (the Web Worker) is
// ready once gave a false "We could not reach the service" (1 in 6 quick clicks in Firefox).
// Here a script in the page presses each button the moment it exists, before the engine has
// started, on fresh pages in Chromium and in Firefox ESR; every press must end where a person
// expects (the form; "that passphrase did not open a report"), never in a network error; and
// "Make a report" in Firefox with Tor Browser's Safer prefs, where the engine is the pure-JavaScript one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePassphrase, sodiumReady } from '../../web/protocol/index.js';
import { browserAvailable, startBrowserHarness, type BrowserHarness } from './harness.js';
import { firefoxAvailable, relaunchingFirefox, TOR_SAFER_PREFS } from './firefox.js';
import { EN } from './reporter-steps.js';

const REPORTS = 10;
const UNLOCKS = 4;

/** In the page, before its own scripts: press the buttons named in `plan`, in order, each as soon as it appears. */
function pressAsSoonAsShown(plan: { button: string; passphrase?: string }[]): void {
  const steps = [...plan];
  const pressed: string[] = ((globalThis as unknown as { pressed: string[] }).pressed = []);
  const tryNext = () => {
    const step = steps[0];
    if (!step) return;
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === step.button);
    if (!button) return;
    if (step.passphrase !== undefined) {
      const field = document.getElementById('passphrase') as HTMLTextAreaElement | null;
      if (!field) return;
      field.value = step.passphrase;
    }
    steps.shift();
    pressed.push(`${step.button} (engine ready: ${String(document.documentElement.dataset.engineReady ?? 'unknown')})`);
    button.click();
    tryNext();
  };
  new MutationObserver(tryNext).observe(document, { childList: true, subtree: true });
}

/** What the page ends with: the form, or the words of an error, whichever comes first. */
function outcome(expected: { formShown: string; errorSelector: string }): Promise<string> {
  return new Promise((resolve) => {
    const look = () => {
      if (document.getElementById(expected.formShown)) return resolve('form');
      const error = [...document.querySelectorAll(expected.errorSelector)].map((e) => e.textContent?.trim() ?? '').find((text) => text !== '');
      if (error) return resolve(error);
      setTimeout(look, 50);
    };
    look();
  });
}

/** The calls both drivers (playwright-core for Chromium, puppeteer-core for Firefox) share. */
interface AnyPage {
  goto(url: string, options: { waitUntil: 'domcontentloaded' }): Promise<unknown>;
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

interface Driver {
  name: string;
  freshPage(plan: Parameters<typeof pressAsSoonAsShown>[0]): Promise<{ page: AnyPage; close(): Promise<void> }>;
}

async function tally(driver: Driver, url: string, runs: number, plan: Parameters<typeof pressAsSoonAsShown>[0] | (() => Parameters<typeof pressAsSoonAsShown>[0]), expected: Parameters<typeof outcome>[0]) {
  const outcomes: string[] = [];
  for (let i = 0; i < runs; i++) {
    const { page, close } = await driver.freshPage(typeof plan === 'function' ? plan() : plan);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    outcomes.push(await page.evaluate(outcome, expected));
    await close();
  }
  return outcomes;
}

const drivers: { name: string; available: boolean; unlocks: number; start(harness: BrowserHarness): Promise<Driver & { close(): Promise<void> }> }[] = [
  {
    name: 'Chromium',
    available: browserAvailable,
    unlocks: UNLOCKS,
    async start(harness) {
      return {
        name: 'Chromium',
        async freshPage(plan) {
          const { page, context } = await harness.newPage();
          await page.addInitScript(pressAsSoonAsShown, plan);
          return { page: page as unknown as AnyPage, close: () => context.close() };
        },
        close: async () => undefined,
      };
    },
  },
  ...([['Firefox ESR', {}], ['Firefox ESR with Tor Browser Safer prefs', TOR_SAFER_PREFS]] as const).map(([firefoxName, prefs]) => ({
    name: firefoxName,
    available: firefoxAvailable,
    // Without WebAssembly each unlock is a minute of Argon2id: the early press of "Make a report" is what is checked there.
    unlocks: prefs === TOR_SAFER_PREFS ? 0 : UNLOCKS,
    async start() {
      const browsers = await relaunchingFirefox(prefs);
      return {
        name: firefoxName,
        async freshPage(plan: Parameters<typeof pressAsSoonAsShown>[0]) {
          const context = await (await browsers.live()).createBrowserContext();
          const page = await context.newPage();
          await page.evaluateOnNewDocument(pressAsSoonAsShown, plan);
          return { page: page as unknown as AnyPage, close: () => context.close() };
        },
        close: () => browsers.close(),
      };
    },
  })),
];

describe.skipIf(!browserAvailable)('pressing a button before the engine is ready', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
    await sodiumReady();
  }, 120_000);
  afterAll(async () => harness?.close());

  for (const { name, available, unlocks, start } of drivers) {
    describe.skipIf(!available)(name, () => {
      let driver: Driver & { close(): Promise<void> };
      beforeAll(async () => {
        driver = await start(harness);
      }, 120_000);
      afterAll(async () => driver?.close());

      it(`"${EN.m('landing.makeReport')}" pressed the moment it exists, ${REPORTS} times: the form every time`, async () => {
        const outcomes = await tally(driver, `${harness.server.url}/`, REPORTS, [{ button: EN.m('landing.makeReport') }], { formShown: 'organisation', errorSelector: '[role="alert"]' });
        console.log(`${name}: early "Make a report" → ${outcomes.filter((o) => o !== 'form').length} of ${REPORTS} ended in an error`);
        expect(outcomes).toEqual(Array(REPORTS).fill('form'));
      }, 5 * 60_000);

      it.skipIf(unlocks === 0)(`"${EN.m('unlock.open')}" pressed the moment it exists, ${unlocks} times: the calm "did not open" every time, never "could not reach"`, async () => {
        const outcomes = await tally(
          driver, `${harness.server.url}/`, unlocks,
          () => [{ button: EN.m('landing.havePassphrase') }, { button: EN.m('unlock.open'), passphrase: generatePassphrase() }],
          { formShown: 'no-such-element', errorSelector: '#passphrase-error' },
        );
        console.log(`${name}: early "Open my report" → ${outcomes.filter((o) => o !== EN.m('problem.notOpened')).length} of ${unlocks} ended in another error`);
        expect(outcomes).toEqual(Array(unlocks).fill(EN.m('problem.notOpened')));
      }, 10 * 60_000);
    });
  }
});
