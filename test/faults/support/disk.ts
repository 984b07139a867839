// What is on disk after a fault: every file under the export folder, whether it
// is the complete rendered video, and any temporary `.part` file left behind.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const FIXTURE_PATH = path.resolve(__dirname, '..', '..', '..', 'media', 'sample-render.mp4');
let fixture: Buffer | undefined;

/** The exact bytes the simulator serves for a render (its fixture plus an optional `free` padding box), built only when needed. */
export class ExpectedVideo {
  readonly length: number;
  private built: Buffer | undefined;

  constructor(private readonly paddingBytes = 0) {
    fixture ??= readFileSync(FIXTURE_PATH);
    this.length = fixture.length + (paddingBytes > 0 ? Math.max(8, paddingBytes) : 0);
  }

  bytes(): Buffer {
    if (this.built) return this.built;
    if (this.paddingBytes <= 0) return (this.built = fixture!);
    const size = Math.max(8, this.paddingBytes);
    const box = Buffer.alloc(size);
    box.writeUInt32BE(size, 0);
    box.write('free', 4, 'latin1');
    return (this.built = Buffer.concat([fixture!, box]));
  }

  /** Byte-for-byte equal to the rendered video. */
  matches(file: string, size: number): boolean {
    return size === this.length && readFileSync(file).equals(this.bytes());
  }
}

export interface DiskEntry {
  /** Relative to the scanned folder. */
  name: string;
  bytes: number;
  /** Byte-for-byte the rendered video. */
  complete: boolean;
}

export interface DiskReport {
  files: DiskEntry[];
  /** Temporary download files (`.<name>.part-<random>`) still present. */
  partFiles: string[];
  /** Files that are neither complete nor declared inputs: half-written or corrupt. */
  halfWritten: string[];
}

export function scanDir(dir: string, expected: ExpectedVideo, ignore: ReadonlySet<string> = new Set()): DiskReport {
  const files: DiskEntry[] = [];
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, rel));
    } catch {
      return;
    }
    for (const n of names) {
      const relName = rel === '' ? n : path.join(rel, n);
      const full = path.join(dir, relName);
      const st = statSync(full);
      if (st.isDirectory()) walk(relName);
      else if (!ignore.has(relName)) files.push({ name: relName, bytes: st.size, complete: expected.matches(full, st.size) });
    }
  };
  walk('');
  const partFiles = files.filter((f) => /\.part/.test(path.basename(f.name))).map((f) => f.name);
  const halfWritten = files.filter((f) => !f.complete && !partFiles.includes(f.name)).map((f) => f.name);
  return { files, partFiles, halfWritten };
}
