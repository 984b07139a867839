// The one piece of `marked` the host uses: its GFM lexer, for @nemo's replies
// (agentMarkdown.ts). Built as its own small bundle (dist/markdownLexer.js) and
// required on the first reply, so activation does not load it.
export { Lexer } from 'marked';
export type { Token, Tokens } from 'marked';
