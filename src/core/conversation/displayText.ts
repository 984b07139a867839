// Backend text is shown to the user, so it is cleaned of characters that have no
// business in a chat bubble: C0/C1 controls (terminal escapes, NUL, bell, CR) and
// the bidi overrides that can make "rlo‮gpj.exe" read as "exe.jpg". Line breaks
// and tabs stay. Rendering stays inert in the webview; this is defence in depth.
// Every removed character is a single UTF-16 unit, so cleaning chunk by chunk
// gives the same result as cleaning the joined text (partial deltas rely on it).
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function cleanDisplayText(text: string): string {
  UNSAFE_CHARS.lastIndex = 0;
  return UNSAFE_CHARS.test(text) ? text.replace(UNSAFE_CHARS, '') : text;
}
