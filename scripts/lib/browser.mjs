// Chromium (the system's Debian package) driven by playwright-core, with all
// of its state inside the run's folder: the profile, its XDG dirs (Chromium
// writes ~/.config/chromium/Crash Reports even with a temporary profile) and
// playwright's own artifacts folder (created under os.tmpdir()).
import fs from 'node:fs';
import path from 'node:path';
import { onCleanup } from './cleanup.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox', // root / containers
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--metrics-recording-only',
  '--password-store=basic',
];

/**
 * Launches Chromium with a persistent profile in <stateDir>/chromium and
 * returns { context, page, close() }. The page is 1280x800 unless `viewport`
 * says otherwise. Registered with the cleanup registry, so Ctrl+C closes it.
 */
export async function launchBrowser(stack, { stateDir, headless = true, viewport = { width: 1280, height: 800 } }) {
  const root = path.join(stateDir, 'chromium');
  const tmp = path.join(root, 'tmp');
  for (const d of ['profile', 'tmp', 'xdg-config', 'xdg-cache']) fs.mkdirSync(path.join(root, d), { recursive: true });
  // playwright-core creates its artifacts folder with os.tmpdir() during launch;
  // os.tmpdir() reads TMPDIR on every call, so point it into the run for that moment.
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  let context;
  try {
    context = await stack.playwright.chromium.launchPersistentContext(path.join(root, 'profile'), {
      executablePath: stack.chromium,
      headless,
      viewport,
      args: CHROMIUM_ARGS,
      // Our own cleanup registry stops the browser: playwright's handlers would
      // exit the process on SIGINT before code-server is stopped.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: {
        ...process.env,
        TMPDIR: tmp,
        XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
        XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
      },
    });
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await context.close().catch(() => {});
  };
  const unregister = onCleanup(close);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close };
}
