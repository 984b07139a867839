// Lint rules that guard the architecture, not style: the functional core in
// src/core must never import `vscode` (it is unit-tested in plain Node and
// shared with the simulator-driven tests), and the webview may only reach the
// host through the shared protocol module.
import tseslint from 'typescript-eslint';

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
