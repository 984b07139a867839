// The default keybinding of Generate Video from Selection is a Ctrl+K chord, not
// Ctrl+Alt (AltGr on Windows types characters on European layouts), and no default
// keybinding of this VS Code uses the same keys.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { getExtension } from './support/extension';

describe('keybinding', function () {
  this.timeout(60_000);

  it('Ctrl+K G is ours alone and uses no Ctrl+Alt', async () => {
    const manifest = getExtension().packageJSON as { contributes: { keybindings: Array<{ command: string; key: string; mac?: string }> } };
    const ours = manifest.contributes.keybindings.find((k) => k.command === 'nemoVideo.generateFromSelection');
    assert.ok(ours);
    assert.doesNotMatch(`${ours.key} ${ours.mac ?? ''}`, /ctrl\+alt|alt\+ctrl/i);
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && doc.getText().length > 10_000, 'the default keybindings did not open');
    const defaults = doc.getText();
    const clash = [...defaults.matchAll(/"key":\s*"([^"]+)"[^}]*?"command":\s*"([^"]+)"/g)].filter((m) => m[1] === ours.key && m[2] !== ours.command);
    assert.deepStrictEqual(clash.map((m) => m[2]), [], `${ours.key} is also bound by default to other commands`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
