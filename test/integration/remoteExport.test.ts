// Remote / code-server / virtual workspaces: the export placement goes through
// vscode.workspace.fs only, so it must work on a file system that is not
// `file:`. An in-memory FileSystemProvider stands in for such a workspace; the
// same functions the export uses place the MP4 in it (temporary name, then a
// rename that never overwrites).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { exportDirFor, ExportProblem } from '../../src/export/exportTarget';
import { placeInFolder } from '../../src/export/placeFile';

const SCHEME = 'nemo-memfs';

type Entry = { type: vscode.FileType.File; data: Uint8Array; ctime: number; mtime: number } | { type: vscode.FileType.Directory; ctime: number; mtime: number };

/** A minimal in-memory file system with the error semantics VS Code's providers have. */
class MemFs implements vscode.FileSystemProvider {
  readonly entries = new Map<string, Entry>([['/', { type: vscode.FileType.Directory, ctime: 0, mtime: 0 }]]);
  /** Every rename: the placement must never ask to overwrite. */
  readonly renames: Array<{ from: string; to: string; overwrite: boolean }> = [];
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.get(uri);
    return { type: e.type, ctime: e.ctime, mtime: e.mtime, size: e.type === vscode.FileType.File ? e.data.length : 0 };
  }
  readDirectory(uri: vscode.Uri): Array<[string, vscode.FileType]> {
    const dir = this.dirPath(uri);
    this.get(uri);
    return [...this.entries].filter(([p]) => p !== dir && path.posix.dirname(p) === dir).map(([p, e]) => [path.posix.basename(p), e.type]);
  }
  createDirectory(uri: vscode.Uri): void {
    if (this.entries.has(uri.path)) throw vscode.FileSystemError.FileExists(uri);
    this.parentMustExist(uri);
    this.entries.set(uri.path, { type: vscode.FileType.Directory, ctime: Date.now(), mtime: Date.now() });
  }
  readFile(uri: vscode.Uri): Uint8Array {
    const e = this.get(uri);
    if (e.type !== vscode.FileType.File) throw vscode.FileSystemError.FileIsADirectory(uri);
    return e.data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): void {
    const existing = this.entries.get(uri.path);
    if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    if (existing?.type === vscode.FileType.Directory) throw vscode.FileSystemError.FileIsADirectory(uri);
    this.parentMustExist(uri);
    this.entries.set(uri.path, { type: vscode.FileType.File, data: content.slice(), ctime: Date.now(), mtime: Date.now() });
  }
  delete(uri: vscode.Uri): void {
    this.get(uri);
    for (const p of [...this.entries.keys()]) if (p === uri.path || p.startsWith(uri.path + '/')) this.entries.delete(p);
  }
  rename(from: vscode.Uri, to: vscode.Uri, options: { overwrite: boolean }): void {
    this.renames.push({ from: from.path, to: to.path, overwrite: options.overwrite });
    const e = this.get(from);
    if (this.entries.has(to.path) && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
    this.parentMustExist(to);
    this.entries.delete(from.path);
    this.entries.set(to.path, e);
  }

  private get(uri: vscode.Uri): Entry {
    const e = this.entries.get(this.dirPath(uri));
    if (!e) throw vscode.FileSystemError.FileNotFound(uri);
    return e;
  }
  private dirPath(uri: vscode.Uri): string {
    return uri.path.length > 1 ? uri.path.replace(/\/+$/, '') : '/';
  }
  private parentMustExist(uri: vscode.Uri): void {
    const parent = this.entries.get(path.posix.dirname(uri.path));
    if (parent?.type !== vscode.FileType.Directory) throw vscode.FileSystemError.FileNotFound(uri);
  }
}

describe('export placement on a non-file: workspace (Remote, code-server, virtual)', () => {
  const memfs = new MemFs();
  let registration: vscode.Disposable;
  let tmp: string;
  let source: vscode.Uri;
  const root = vscode.Uri.from({ scheme: SCHEME, path: '/project' });
  const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(2_000, 7)]);

  before(async () => {
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, memfs, { isCaseSensitive: true });
    await vscode.workspace.fs.createDirectory(root);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nemo-remote-'));
    const download = path.join(tmp, 'render.mp4');
    fs.writeFileSync(download, mp4);
    source = vscode.Uri.file(download);
  });

  after(() => {
    registration?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('resolves the export folder inside a non-file: workspace folder and refuses one that climbs out', () => {
    const { dir, label } = exportDirFor(root, 'videos/clips');
    assert.strictEqual(dir.scheme, SCHEME);
    assert.strictEqual(dir.path, '/project/videos/clips');
    assert.strictEqual(label, 'videos/clips');
    assert.throws(() => exportDirFor(root, '../elsewhere'), (e: unknown) => e instanceof ExportProblem && e.reason === 'folderRefused');
  });

  it('places the download into a memfs folder through workspace.fs: created folder, temporary name, then a non-overwriting rename', async () => {
    const { dir, label } = exportDirFor(root, 'videos');
    const placed = await placeInFolder(source, dir, root, 'Lighthouse Café.mp4', label);
    assert.strictEqual(placed.toString(), vscode.Uri.joinPath(dir, 'Lighthouse Café.mp4').toString());
    assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(placed)), mp4, 'the bytes arrived intact');
    const last = memfs.renames[memfs.renames.length - 1];
    assert.ok(last && /\.partial$/.test(last.from) && last.to === placed.path, `expected a rename from a temporary name: ${JSON.stringify(memfs.renames)}`);
    assert.strictEqual(last.overwrite, false, 'the final rename must not overwrite');
    assert.ok(fs.existsSync(source.fsPath), 'placeInFolder copies; the caller removes the download');
  });

  it('never overwrites: an existing name gets " (2)", and the existing file keeps its bytes', async () => {
    const { dir, label } = exportDirFor(root, 'videos');
    const taken = vscode.Uri.joinPath(dir, 'taken.mp4');
    const original = Buffer.from('the user\'s own file');
    await vscode.workspace.fs.writeFile(taken, original);
    const placed = await placeInFolder(source, dir, root, 'taken.mp4', label);
    assert.strictEqual(path.posix.basename(placed.path), 'taken (2).mp4');
    assert.deepStrictEqual(Buffer.from(await vscode.workspace.fs.readFile(taken)), original, 'the existing file was overwritten');
    const again = await placeInFolder(source, dir, root, 'taken.mp4', label);
    assert.strictEqual(path.posix.basename(again.path), 'taken (3).mp4');
  });

  it('leaves no temporary file behind, also when the rename fails', async () => {
    const { dir, label } = exportDirFor(root, 'videos');
    const failing = memfs.rename.bind(memfs);
    memfs.rename = () => {
      throw vscode.FileSystemError.NoPermissions('read-only for this test');
    };
    try {
      await assert.rejects(placeInFolder(source, dir, root, 'denied.mp4', label), (e: unknown) => e instanceof ExportProblem && e.reason === 'readOnly');
    } finally {
      memfs.rename = failing;
    }
    const names = (await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n);
    assert.deepStrictEqual(
      names.filter((n) => n.endsWith('.partial') || n.startsWith('denied')),
      [],
      `left behind: ${names.join(', ')}`,
    );
  });
});
