// Where a streamed Markdown text can be cut into blocks that are finished (so
// they can be rendered once and kept) and the block still being written. Pure
// (no DOM), unit-tested in Node; markdownStream.ts uses it once per frame.

const FENCE = /^ {0,3}(`{3,}|~{3,})([^`]*)$/;

/**
 * Splits streamed text into a part made of finished blocks (rendered once, then kept) and
 * the rest, which is still being written.
 *  - A block is finished after a blank line outside a code fence, or after a closing fence.
 *  - If the rest would be longer than `limit`, it is cut anyway: after the last complete
 *    line or, when the last line itself is long, at a space in it (hard when there is none),
 *    leaving at most half the limit. Inside an open code fence the committed part gets a
 *    closing fence and the rest reopens it with the same opener line.
 */
export function splitCommitted(text: string, limit: number): { commit: string; rest: string } {
  let boundary = 0;
  let fence: { marker: string; opener: string; bodyStart: number } | undefined;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', lineStart)) {
    const line = text.slice(lineStart, nl).replace(/\r$/, '');
    const next = nl + 1;
    if (fence) {
      if (isClosingFence(line, fence.marker)) {
        fence = undefined;
        boundary = next;
      }
    } else {
      const open = FENCE.exec(line);
      if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) fence = { marker: open[1]!, opener: line, bodyStart: next };
      else if (line.trim() === '') boundary = next;
    }
    lineStart = next;
  }
  if (text.length - boundary <= limit) return { commit: text.slice(0, boundary), rest: text.slice(boundary) };

  // The unfinished block is too long to re-render every frame: cut it.
  const keep = limit >> 1;
  let cut = lineStart;
  if (cut <= (fence ? fence.bodyStart : boundary) || text.length - cut > keep) {
    const from = Math.max(lineStart, text.length - keep);
    const space = text.lastIndexOf(' ', text.length - 1);
    cut = space >= from ? space + 1 : text.length - keep;
    if (/[\udc00-\udfff]/.test(text[cut] ?? '')) cut--; // never between the halves of a surrogate pair
  }
  if (!fence) return { commit: text.slice(0, cut), rest: text.slice(cut) };
  const closer = fence.marker[0]!.repeat(fence.marker.length);
  const head = text.slice(0, cut);
  return { commit: `${head}${head.endsWith('\n') ? '' : '\n'}${closer}\n`, rest: `${fence.opener}\n${text.slice(cut)}` };
}

function isClosingFence(line: string, marker: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
}
