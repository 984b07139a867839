// Mocha runner loaded by VS Code's extension host (`extensionTestsPath`), both
// under code-server (npm run test:integration) and under @vscode/test-electron
// (npm run test:electron). The host calls run(); a rejection becomes exit code 1.
//
// Environment (set by the harness): MOCHA_GREP filters tests, MOCHA_TIMEOUT
// overrides the per-test timeout (ms), NEMO_TEST_RESULT_FILE receives
// {passed, failed, skipped} so the harness can print the closing line.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import Mocha from 'mocha';

function findTestFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTestFiles(p);
    return /\.test\.js$/.test(entry.name) ? [p] : [];
  }).sort();
}

/** out/test/integration -> repository root (this file is compiled to out/test/integration/index.js). */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

export function run(): Promise<void> {
  console.log(`extension host: VS Code ${vscode.version}`);
  console.log(`  (${vscode.env.appName}, ui ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, Node ${process.versions.node})`);

  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // output is forwarded line by line through the workbench
    timeout: Number(process.env.MOCHA_TIMEOUT) || 60_000,
    grep: process.env.MOCHA_GREP || undefined,
    // The project's one reporter: spec output plus the closing `N passed, N failed` line.
    reporter: path.join(repoRoot, 'scripts', 'summary-reporter.cjs'),
  });
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        const result = { passed: stats?.passes ?? 0, failed: failures, skipped: stats?.pending ?? 0 };
        const resultFile = process.env.NEMO_TEST_RESULT_FILE;
        if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(result));
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (e) {
      // A test file that throws while loading: report it as one failure.
      const resultFile = process.env.NEMO_TEST_RESULT_FILE;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ passed: 0, failed: 1, skipped: 0, error: String(e) }));
      console.error(e);
      reject(e);
    }
  });
}
