import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium, or undefined (the tests then skip, naming the package). */
export function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const NO_CHROMIUM = 'needs a browser: install the Debian package chromium (apt-get install -y chromium)';

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS_DIR = path.resolve('test-results');

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless chromium with a fresh profile, nothing fetched from the network by itself. */
export async function startBrowser(executablePath: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'lambkin-chromium-'));
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  // Playwright takes the fresh profile directory as launchPersistentContext's argument (it refuses
  // --user-data-dir among the args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
