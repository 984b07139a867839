// A fresh temporary folder for each test of a suite (or a workspace folder and a
// folder outside it), removed after the test.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Call inside a describe: each test gets its own folder (named `prefix…`); read its path with the returned function, inside the test. */
export function eachTestTempDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (!dir) throw new Error('the temporary folder exists only while a test runs');
    return dir;
  };
}

/** The folders of a workspace test: `base` (a real path, so symbolic links compare), the workspace folder `ws` and a folder `outside` it. */
export interface WorkspaceDirs {
  readonly base: string;
  readonly ws: string;
  readonly outside: string;
}

/** Call inside a describe: each test gets fresh WorkspaceDirs (the workspace folder named `workspaceName`), removed after the test. */
export function eachTestWorkspace(prefix: string, workspaceName = 'ws'): WorkspaceDirs {
  let current: WorkspaceDirs | undefined;
  beforeEach(() => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
    current = { base, ws: path.join(base, workspaceName), outside: path.join(base, 'outside') };
    mkdirSync(current.ws);
    mkdirSync(current.outside);
  });
  afterEach(() => {
    if (current) rmSync(current.base, { recursive: true, force: true });
    current = undefined;
  });
  const get = (): WorkspaceDirs => {
    if (!current) throw new Error('the workspace folders exist only while a test runs');
    return current;
  };
  return {
    get base() {
      return get().base;
    },
    get ws() {
      return get().ws;
    },
    get outside() {
      return get().outside;
    },
  };
}
