import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); browsers cannot be downloaded on these machines. */
export const CHROMIUM_PATH = process.env.MAILPROBE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium with the flags a closed network needs: no background networking, sync or
 * component updates (their connections are refused here, many at a time), a fresh profile every time.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install chromium" (.ci/run does), or set MAILPROBE_CHROMIUM.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
