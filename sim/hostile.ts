// Payloads of the hostileText scenario: a broken or malicious backend must not
// be able to run script, open links or write files outside the export folder.
export const HOSTILE = {
  imgOnerror: '<img src=x onerror=alert(1)>',
  scriptBreakout: '</script><script>alert(1)</script>',
  markdownJsLink: '[click](javascript:alert(1))',
  commandUri: 'command:workbench.action.terminal.new',
  fileUri: 'file:///etc/passwd',
  pathTraversal: '../../etc/passwd',
  reservedName: 'con',
  longName: `${'A'.repeat(150)}${'é'.repeat(50)}${'B'.repeat(100)}`, // 300 characters
  controlChars: 'bell\u0007 esc\u001b[31mred\u001b[0m nul\u0000 rlo\u202Egpj.exe cr\r lf\n tab\t end',
} as const;

/** Every payload in one line, for texts and error messages. */
export function hostileSentence(): string {
  return [
    `Here you go ${HOSTILE.imgOnerror}`,
    HOSTILE.scriptBreakout,
    `See ${HOSTILE.markdownJsLink} or [open terminal](${HOSTILE.commandUri}) or <a href="${HOSTILE.fileUri}">${HOSTILE.fileUri}</a>`,
    `Saved to ${HOSTILE.pathTraversal}`,
    HOSTILE.controlChars,
  ].join(' ');
}

export function hostileFileName(original: string): string {
  return `${HOSTILE.pathTraversal.replace('passwd', '')}${HOSTILE.imgOnerror}${HOSTILE.controlChars}${original}`;
}
