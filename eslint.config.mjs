// Lint rules that guard the architecture, not style (docs/architecture.md):
// - the functional core in src/core never imports `vscode` (it is unit-tested in
//   plain Node and shared with the simulator-driven tests);
// - the webview reaches the host only through the shared protocol module, and on the
//   host only the chat panel (src/chatPanel/) builds or reads webview messages;
// - no import cycles: none between modules (import-x/no-cycle), and none of the
//   type-only ones it does not see, between the front ends or through CommandDeps.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const noProtocol = {
  group: ['**/protocol'],
  message: 'The webview protocol is the chat panel\'s own: only src/chatPanel/ (and webview/) may import src/protocol.ts.',
};
const noChatPanel = { group: ['**/chatPanel/*'], message: 'Only extension.ts and testApi.ts wire the chat panel: other front ends follow jobs, not the panel.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'bench/results/**', 'reports/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/core/**/*.ts', 'sim/**/*.ts', 'src/protocol.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core, src/protocol.ts and sim/ must stay free of the vscode API: adapt it in src/ instead.' }],
        patterns: [{ group: ['vscode/*'], message: 'No vscode imports in the core.' }],
      }],
      'no-restricted-globals': ['error', { name: 'acquireVsCodeApi', message: 'webview-only' }],
    },
  },
  {
    // The host outside the chat panel: no webview messages, no reaching into the panel.
    files: ['src/**/*.ts'],
    ignores: ['src/core/**', 'src/protocol.ts', 'src/chatPanel/**', 'src/extension.ts', 'src/testApi.ts', 'src/conversation/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noProtocol, noChatPanel] }] },
  },
  {
    // The composition root and the test surface put the chat panel together, and still read no webview message.
    files: ['src/extension.ts', 'src/testApi.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noProtocol] }] },
  },
  {
    files: ['src/participant/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [noProtocol, noChatPanel, { group: ['**/lmTool/*'], message: '@nemo and the language-model tool are separate front ends: share through src/jobs or src/util.' }],
      }],
    },
  },
  {
    files: ['src/lmTool/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [noProtocol, noChatPanel, { group: ['**/participant/*'], message: '@nemo and the language-model tool are separate front ends: share through src/jobs or src/util.' }],
      }],
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    ignores: ['src/commands/registerCommands.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [noProtocol, noChatPanel, { group: ['./registerCommands'], message: 'Commands take CommandDeps from ./deps: registerCommands.ts imports them.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview cannot use the vscode API.' }],
        patterns: [{ group: ['**/core/**', '../src/*', '!../src/protocol'], message: 'The webview may import only src/protocol.ts from the host side.' }],
      }],
      'no-restricted-properties': ['error',
        { property: 'innerHTML', message: 'Render text inert with textContent.' },
        { property: 'outerHTML', message: 'Render text inert with textContent.' },
        { property: 'insertAdjacentHTML', message: 'Render text inert with textContent.' }],
    },
  },
);
