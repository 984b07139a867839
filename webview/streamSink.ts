// Appends streamed text to a live message with constant DOM work per delta.
// Text goes into one Text node via appendData (no re-render, no innerHTML).
// Because a single Text node would make each append and each layout cost
// grow with the message, the text is cut into block chunks: once the current
// chunk holds CHUNK_CHARS, the next line break starts a new chunk element, so
// appends and line layout only ever touch a bounded amount of text. A very
// long run without line breaks is cut at a space (or hard) after HARD_CHARS.
export const CHUNK_CHARS = 2_048;
export const HARD_CHARS = 8_192;

export class StreamSink {
  private chunk!: HTMLElement;
  private node!: Text;
  private chunkLength = 0;

  constructor(private readonly body: HTMLElement) {
    this.startChunk();
  }

  append(text: string): void {
    if (text.length === 0) return;
    let rest = text;
    while (rest.length > 0) {
      const room = this.chunkLength >= CHUNK_CHARS ? 0 : CHUNK_CHARS - this.chunkLength;
      if (room >= rest.length) {
        this.write(rest);
        return;
      }
      const cut = this.cutPoint(rest, room);
      if (cut < 0) {
        this.write(rest);
        return;
      }
      this.write(rest.slice(0, cut));
      rest = rest.slice(cut);
      this.startChunk();
    }
  }

  /** Where to end the current chunk inside `text`, or -1 to keep filling it. */
  private cutPoint(text: string, room: number): number {
    const newline = text.indexOf('\n', room > 0 ? room - 1 : 0);
    if (newline !== -1) return newline + 1;
    const overflow = this.chunkLength + text.length - HARD_CHARS;
    if (overflow <= 0) return -1;
    const hard = Math.max(1, text.length - overflow);
    const space = text.lastIndexOf(' ', hard);
    return space > 0 ? space + 1 : hard;
  }

  private write(text: string): void {
    this.node.appendData(text);
    this.chunkLength += text.length;
  }

  private startChunk(): void {
    this.chunk = document.createElement('div');
    this.chunk.className = 'chunk';
    this.node = document.createTextNode('');
    this.chunk.appendChild(this.node);
    this.body.appendChild(this.chunk);
    this.chunkLength = 0;
  }
}
