// Text that arrives in a great many small pieces (a streamed reply) and is needed whole
// at most once, at the end. Every full block of pieces is joined into one string, so
// each character is copied twice in all (into its block, then into the whole), and a
// long reply is held as a few hundred strings instead of one per delta (less for the
// garbage collector to walk while the stream goes on).
const PIECES_PER_BLOCK = 1_024;

export class TextPieces {
  private blocks: string[] = [];
  private pieces: string[] = [];

  get isEmpty(): boolean {
    return this.blocks.length === 0 && this.pieces.length === 0;
  }

  push(text: string): void {
    if (text === '') return;
    this.pieces.push(text);
    if (this.pieces.length === PIECES_PER_BLOCK) {
      this.blocks.push(this.pieces.join(''));
      this.pieces = [];
    }
  }

  /** The whole text: one join. */
  join(): string {
    return this.blocks.join('') + this.pieces.join('');
  }

  clear(): void {
    this.blocks = [];
    this.pieces = [];
  }
}
