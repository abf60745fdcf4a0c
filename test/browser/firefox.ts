// Firefox ESR for the browser tests (issue 13): Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi (playwright-core drives only its own patched Firefox). The Chromium tests keep
// harness.ts. With CI set and no Firefox, tests fail rather than skip.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { relaunching, type Relaunching } from './relaunching.js';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const firefoxAvailable = existsSync(FIREFOX_PATH);
if (!firefoxAvailable && process.env.CI) throw new Error(`CI is set but no Firefox at ${FIREFOX_PATH}: install Debian's firefox-esr (.ci/run does).`);

/**
 * Tor Browser's "Standard" level, as far as a page can tell: Firefox ESR with everything on, and
 * fingerprinting resistance (coarse timers, a common user agent and screen size), which Tor Browser always has.
 */
export const TOR_STANDARD_PREFS = {
  'privacy.resistFingerprinting': true,
} as const;

/**
 * Tor Browser's "Safer" security level, as far as the page's JavaScript is concerned: no
 * WebAssembly, and both JITs off (the interpreter only). Tor Browser sets these three prefs.
 */
export const TOR_SAFER_PREFS = {
  ...TOR_STANDARD_PREFS,
  'javascript.options.wasm': false,
  'javascript.options.baselinejit': false,
  'javascript.options.ion': false,
} as const;

/** Headless Firefox ESR with the given prefs; calls into the page may run for up to `protocolTimeoutMs`. */
export function launchFirefox(prefs: Record<string, boolean | string | number> = {}, protocolTimeoutMs = 30 * 60_000): Promise<Browser> {
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, protocolTimeout: protocolTimeoutMs, extraPrefsFirefox: prefs });
}

/** The same, launched again when asked for after it crashed (relaunching.ts). */
export function relaunchingFirefox(prefs: Record<string, boolean | string | number> = {}, protocolTimeoutMs?: number): Promise<Relaunching<Browser>> {
  // Its process is looked at too: the driver may not yet have seen the connection go.
  const alive = (browser: Browser) => browser.connected && browser.process()?.exitCode === null && browser.process()?.signalCode === null;
  return relaunching(() => launchFirefox(prefs, protocolTimeoutMs), alive);
}
