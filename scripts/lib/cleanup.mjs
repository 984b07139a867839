// One place that knows what a script started, so that every exit path
// (normal end, failure, Ctrl+C, SIGTERM from CI) stops it again, by PID.
//
// - onCleanup(fn) registers an async undo step; they run newest first.
// - trackProcessGroup(pid) remembers a detached child's process group, so that
//   even a synchronous `exit` (an uncaught error) still SIGKILLs it.
// - installSignalHandlers() makes SIGINT/SIGTERM/SIGHUP run the cleanup and
//   exit with 130/143/129.

const steps = [];
const groups = new Set();
let cleaning;

export function onCleanup(fn) {
  steps.push(fn);
  return () => {
    const i = steps.indexOf(fn);
    if (i >= 0) steps.splice(i, 1);
  };
}

export function trackProcessGroup(pid) {
  groups.add(pid);
  return () => groups.delete(pid);
}

/** Runs every registered step once, newest first; never throws. */
export function runCleanup() {
  cleaning ??= (async () => {
    while (steps.length) {
      const fn = steps.pop();
      try {
        await fn();
      } catch (e) {
        console.error(`[cleanup] ${e?.message ?? e}`);
      }
    }
  })().finally(() => { cleaning = undefined; });
  return cleaning;
}

/** Kills a whole process group; true if the group existed. */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

let installed = false;
let signalled;
/** The signal that is stopping this process, if any (so the main flow can stay quiet about the stop it causes). */
export const stoppingSignal = () => signalled;
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export function installSignalHandlers({ label = 'harness' } = {}) {
  if (installed) return;
  installed = true;
  for (const [signal, code] of Object.entries(EXIT_CODES)) {
    process.on(signal, () => {
      signalled = signal;
      console.error(`\n[${label}] ${signal}: stopping everything this run started`);
      // A second Ctrl+C while cleaning up means "now": fall through to exit.
      const hard = setTimeout(() => process.exit(code), 15000);
      hard.unref();
      runCleanup().finally(() => process.exit(code));
    });
  }
  // Last resort for exits that skip the async cleanup.
  process.on('exit', () => {
    for (const pid of groups) killGroup(pid, 'SIGKILL');
  });
}
