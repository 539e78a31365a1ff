import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * Headless Chromium for browser tests: Debian's package (`.ci/run` installs it; npm browsers cannot be
 * downloaded here), or CHROMIUM_PATH. Without it a test file skips locally with a warning and fails in CI.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests of `what` can run; throws under CI=true when Chromium is missing. */
export function chromiumAvailable(what: string): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM} is missing: CI must install the Debian package chromium`);
  }
  console.warn(`${what} skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
  return false;
}

/**
 * A fresh browser profile for `fn`, removed afterwards. The flags keep Chromium off the network except for the
 * pages a test opens (this machine's closed network refuses its background connections).
 */
export async function withChromium<T>(fn: (context: BrowserContext) => Promise<T>): Promise<T> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    return await fn(context);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
