// The questions asked before something spends, changes the video or sends the
// token to another origin: a modal confirmation, an input box and a pick list. Commands are callable by every installed
// extension (vscode.commands.executeCommand), so no argument can skip them; the
// integration tests answer them through the test API, which exists only in the
// extension host of a test run (see activate()).
import * as vscode from 'vscode';

export type PromptQuestion =
  | { kind: 'confirm'; message: string; action: string }
  | { kind: 'input'; prompt: string }
  | { kind: 'pick'; prompt: string; ids: string[] };
/** What the test API installs: true/false for a confirmation, text or undefined for an input box, an item's id or undefined for a pick list. */
export type PromptAnswerer = (q: PromptQuestion) => boolean | string | undefined;

let answerer: PromptAnswerer | undefined;

export function answerPromptsForTests(fn: PromptAnswerer | undefined): void {
  answerer = fn;
}

/** A modal confirmation (a question, optional detail below it) with one action button; true when the user chose it. */
export async function confirmModal(message: string, action: string, detail?: string): Promise<boolean> {
  if (answerer) return answerer({ kind: 'confirm', message: detail ? `${message}\n${detail}` : message, action }) === true;
  return (await vscode.window.showWarningMessage(message, { modal: true, ...(detail ? { detail } : {}) }, action)) === action;
}

export async function askInput(options: vscode.InputBoxOptions & { prompt: string }): Promise<string | undefined> {
  if (answerer) {
    const a = answerer({ kind: 'input', prompt: options.prompt });
    return typeof a === 'string' ? a : undefined;
  }
  return vscode.window.showInputBox(options);
}

export interface PickItem<Id extends string> extends vscode.QuickPickItem {
  /** What the caller (and a test's answer) knows the item by; the label is translated. */
  id: Id;
}

/** One item from a QuickPick, by its id; undefined when the user dismissed it. */
export async function askPick<Id extends string>(items: ReadonlyArray<PickItem<Id>>, options: vscode.QuickPickOptions & { title: string }): Promise<Id | undefined> {
  if (answerer) {
    const a = answerer({ kind: 'pick', prompt: options.title, ids: items.map((i) => i.id) });
    return items.find((i) => i.id === a)?.id;
  }
  return (await vscode.window.showQuickPick(items, options))?.id;
}
