// @nemo's icon in the Chat view: an SVG shown as an image does not take the theme's
// colours, so there is one per theme kind, and each must stand out from the
// backgrounds of VS Code's own themes of that kind (WCAG 1.4.11: 3:1 for graphics).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MEDIA = path.resolve(__dirname, '../../../media');
/** Side bar / chat backgrounds of the built-in themes (Modern, classic +, high contrast). */
const BACKGROUNDS = { light: ['#ffffff', '#f8f8f8', '#f3f3f3'], dark: ['#1f1f1f', '#181818', '#252526', '#000000'] };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('participant icon (light and dark)', () => {
  for (const kind of ['light', 'dark'] as const) {
    it(`nemo-chat-${kind}.svg uses colours that stand out on ${kind} themes, and no currentColor`, () => {
      const svg = fs.readFileSync(path.join(MEDIA, `nemo-chat-${kind}.svg`), 'utf8');
      assert.doesNotMatch(svg, /currentColor/);
      const colours = [...new Set([...svg.matchAll(/(?:stroke|fill)="(#[0-9a-fA-F]{6})"/g)].map((m) => m[1]!.toLowerCase()))];
      assert.ok(colours.length > 0, 'no colour found');
      for (const c of colours) for (const bg of BACKGROUNDS[kind]) assert.ok(contrast(c, bg) >= 3, `${c} on ${bg}: ${contrast(c, bg).toFixed(2)}:1`);
    });
  }
});
