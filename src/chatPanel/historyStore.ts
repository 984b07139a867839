// Chat history of one project, as an append-only NDJSON file under the
// extension's workspace storage (not globalState: large state there slows the
// whole editor down, as VS Code's own guidance on Memento says). A message that changes (final text, status,
// buttons) is appended again and the later line wins on load. The file is
// compacted to the newest messages when it grows past a cap.
import { redactStrings } from '../redaction';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ChatMessage } from '../protocol';

/** Messages kept (and sent in a snapshot). */
export const MAX_MESSAGES = 500;
/** Longest text stored per message; anything beyond is cut with a marker. */
const MAX_TEXT_CHARS = 200_000;
/** Compact once the file holds this many lines or bytes. */
const COMPACT_LINES = MAX_MESSAGES * 3;
const COMPACT_BYTES = 8 * 1024 * 1024;

export class HistoryStore {
  private messages: ChatMessage[] = [];
  private readonly index = new Map<string, number>();
  private loading: Promise<void> | undefined;
  private loaded = false;
  private writes: Promise<void> = Promise.resolve();
  private linesWritten = 0;
  private bytesWritten = 0;

  constructor(
    private readonly dir: string,
    private readonly onError: (what: string, e: unknown) => void,
    /** The project's history file name (the project record says which). */
    private readonly fileName: string,
  ) {}

  get file(): string {
    return path.join(this.dir, this.fileName);
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Loads the file once; messages added before the load finished are kept after the loaded ones. */
  load(): Promise<void> {
    if (!this.loading) {
      this.loading = this.readFile().then((stored) => {
        const added = this.messages;
        this.messages = [];
        this.index.clear();
        for (const m of [...stored, ...added]) this.upsertInMemory(m);
        this.trim();
        this.loaded = true;
      });
    }
    return this.loading;
  }

  all(): ChatMessage[] {
    return this.messages;
  }

  get(id: string): ChatMessage | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.messages[i];
  }

  /** Adds or replaces a message and appends it to the file. */
  put(message: ChatMessage): ChatMessage {
    const m = capText(message);
    this.upsertInMemory(m);
    if (this.messages.length > MAX_MESSAGES * 1.2) this.trim();
    // Streaming messages are written when they end, not on every delta.
    if (m.status !== 'streaming') this.append(m);
    return m;
  }

  /** Resolves when everything put so far is on disk. */
  flush(): Promise<void> {
    return this.writes;
  }

  private upsertInMemory(m: ChatMessage): void {
    const i = this.index.get(m.id);
    if (i === undefined) {
      this.index.set(m.id, this.messages.length);
      this.messages.push(m);
    } else {
      this.messages[i] = m;
    }
  }

  private trim(): void {
    if (this.messages.length <= MAX_MESSAGES) return;
    this.messages = this.messages.slice(-MAX_MESSAGES);
    this.index.clear();
    this.messages.forEach((m, i) => this.index.set(m.id, i));
  }

  private append(m: ChatMessage): void {
    const line = JSON.stringify(redactStrings(m)) + '\n';
    this.writes = this.writes
      .then(async () => {
        await fs.mkdir(this.dir, { recursive: true });
        await fs.appendFile(this.file, line, 'utf8');
        this.linesWritten++;
        this.bytesWritten += line.length;
        if (this.loaded && (this.linesWritten > COMPACT_LINES || this.bytesWritten > COMPACT_BYTES)) await this.compact();
      })
      .catch((e: unknown) => this.onError('Could not save the chat history', e));
  }

  /** Rewrites the file with the newest messages only (temporary file, then rename). */
  private async compact(): Promise<void> {
    this.trim();
    const body = this.messages.filter((m) => m.status !== 'streaming').map((m) => JSON.stringify(redactStrings(m)) + '\n').join('');
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, body, 'utf8');
    await fs.rename(tmp, this.file);
    this.linesWritten = this.messages.length;
    this.bytesWritten = body.length;
  }

  private async readFile(): Promise<ChatMessage[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.onError('Could not read the chat history', e);
      return [];
    }
    const out = new Map<string, ChatMessage>();
    let lines = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      lines++;
      try {
        const parsed = ChatMessage.safeParse(JSON.parse(line));
        // A message still streaming when the window closed did not finish: show it as stopped.
        if (parsed.success) out.set(parsed.data.id, parsed.data.status === 'streaming' ? { ...parsed.data, status: 'cancelled' } : parsed.data);
      } catch {
        // A torn last line after a crash: skip it.
      }
    }
    this.linesWritten = lines;
    this.bytesWritten = text.length;
    return [...out.values()];
  }
}

function capText(m: ChatMessage): ChatMessage {
  return m.text.length > MAX_TEXT_CHARS ? { ...m, text: m.text.slice(0, MAX_TEXT_CHARS) + '\n…' } : m;
}
