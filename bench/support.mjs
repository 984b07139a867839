// What the bench scripts share: the median and round they report with, and the tiny
// reference extensions (a hello world, an echo chat) they measure NemoVideo against.
import fs from 'node:fs';
import path from 'node:path';

/** The median (the mean of the middle two for an even count). */
export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Writes a reference extension of one command into `dir`: its manifest, `extension.js`
 * (`source`) and any other files; `main` is the file VS Code loads (a bench wrapper, say).
 */
export function writeBenchExtension(dir, { name, command, title, source, main = './extension.js', files = {} }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name, publisher: 'nemobench', version: '0.0.1', engines: { vscode: '^1.95.0' }, main,
    activationEvents: [], contributes: { commands: [{ command, title, category: 'Bench' }] },
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), source);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}
