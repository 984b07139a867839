// Disk faults for the export folder. Real ones where the machine allows them,
// simulated ones where it cannot:
//  - a read-only folder is real (chmod 0555) when the tests run as a normal
//    user; root ignores permission bits, so there the refusal is simulated;
//  - a full disk cannot be produced portably (no tiny tmpfs without mount
//    rights), so ENOSPC is simulated.
// Simulation means: node:fs/promises `open` is wrapped for paths inside one
// folder only, so that the kernel's answer (EROFS at open, or ENOSPC half-way
// through the writes) reaches the core exactly as Node would report it. The real
// temporary file still exists on disk, so "no half-written file left" is real.
import { accessSync, chmodSync, constants, rmSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

type FsPromises = typeof import('node:fs/promises');

function fsPromises(): FsPromises {
  // The module object itself (not an import copy): the core's `open` is looked up on it at call time.
  return process.getBuiltinModule('node:fs/promises') as FsPromises;
}

function errno(code: string, errnoValue: number, syscall: string, file?: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = { ENOSPC: 'no space left on device', EROFS: 'read-only file system', EACCES: 'permission denied' };
  const e: NodeJS.ErrnoException = new Error(`${code}: ${messages[code] ?? code}, ${syscall}${file ? ` '${file}'` : ''}`);
  e.code = code;
  e.errno = errnoValue;
  e.syscall = syscall;
  if (file) e.path = file;
  return e;
}

/** Runs `body` while files opened for writing inside `dir` fail the way a full or read-only disk does. */
export async function withDiskFault<T>(dir: string, fault: 'diskFullHalfway' | 'readOnlyOnOpen', body: () => Promise<T>): Promise<T> {
  const fsp = fsPromises();
  const realOpen = fsp.open;
  const inside = (p: unknown) => typeof p === 'string' && path.resolve(p).startsWith(path.resolve(dir) + path.sep);
  const patched = async (file: Parameters<FsPromises['open']>[0], flags?: Parameters<FsPromises['open']>[1], mode?: Parameters<FsPromises['open']>[2]) => {
    const writing = typeof flags === 'string' && /[wa+]/.test(flags);
    if (!writing || !inside(file)) return realOpen(file, flags, mode);
    if (fault === 'readOnlyOnOpen') throw errno('EROFS', -30, 'open', String(file));
    return fullDiskHandle(await realOpen(file, flags, mode));
  };
  fsp.open = patched as FsPromises['open'];
  try {
    return await body();
  } finally {
    fsp.open = realOpen;
  }
}

/** A FileHandle whose disk fills up after the first 16 KiB (write and writev alike). */
function fullDiskHandle(real: FileHandle): FileHandle {
  let written = 0;
  const room = 16 * 1024;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'write') {
        return async (buffer: Uint8Array, offset = 0, length = buffer.byteLength - offset) => {
          if (written + length > room) {
            // Like write(2): fill what fits, then fail.
            const fits = Math.max(0, room - written);
            if (fits > 0) await target.write(buffer, offset, fits);
            written += fits;
            throw errno('ENOSPC', -28, 'write');
          }
          written += length;
          return target.write(buffer, offset, length);
        };
      }
      if (prop === 'writev') {
        return async (buffers: Uint8Array[]) => {
          const length = buffers.reduce((n, b) => n + b.byteLength, 0);
          if (written + length > room) {
            // Like writev(2): fill what fits, then fail.
            const fits = Math.max(0, room - written);
            if (fits > 0) await target.write(Buffer.concat(buffers), 0, fits);
            written += fits;
            throw errno('ENOSPC', -28, 'write');
          }
          written += length;
          return target.writev(buffers);
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * Makes `dir` read-only for real when permissions bind (not root). Returns
 * false when they do not bind (running as root), so the caller simulates instead.
 */
export function makeReadOnly(dir: string): boolean {
  chmodSync(dir, 0o555);
  const probe = path.join(dir, '.write-probe');
  try {
    writeFileSync(probe, 'x');
  } catch {
    return true;
  }
  rmSync(probe, { force: true });
  chmodSync(dir, 0o755);
  return false;
}

export function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    accessSync(dir, constants.W_OK);
  } catch {
    // Already removed.
  }
}
