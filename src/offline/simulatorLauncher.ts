// Try Offline: starts the bundled NemoVideo simulator (dist/sim.js, built
// separately so it never weighs on the extension bundle) inside the extension
// host on a free 127.0.0.1 port. Loaded only when the user asks for it.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

interface SimulatorModule {
  startSimulator(opts?: { port?: number; quiet?: boolean }): Promise<RunningSimulator>;
}

export class SimulatorLauncher {
  private running: RunningSimulator | undefined;
  private starting: Promise<RunningSimulator> | undefined;

  /** `dir` is the folder of the extension bundle; sim.js sits next to it. */
  constructor(private readonly dir: string) {}

  get url(): string | undefined {
    return this.running?.url;
  }

  async start(): Promise<string> {
    if (this.running) return this.running.url;
    this.starting ??= this.load()
      .startSimulator({ port: 0, quiet: true })
      .then(
        (sim) => {
          this.running = sim;
          return sim;
        },
        (e: unknown) => {
          this.starting = undefined;
          throw e;
        },
      );
    return (await this.starting).url;
  }

  async stop(): Promise<void> {
    const sim = this.running;
    this.running = undefined;
    this.starting = undefined;
    await sim?.close();
  }

  private load(): SimulatorModule {
    const file = path.join(this.dir, 'sim.js');
    if (!fs.existsSync(file)) throw new Error(`The simulator is missing (${file}). Run "npm run build".`);
    // A runtime require of a path: esbuild must not try to bundle the simulator into the extension.
    const runtimeRequire: NodeJS.Require = require;
    const mod = runtimeRequire(file) as Partial<SimulatorModule>;
    if (typeof mod.startSimulator !== 'function') throw new Error('The bundled simulator does not export startSimulator().');
    return mod as SimulatorModule;
  }
}
