import * as assert from 'node:assert/strict';
import {
  ChatMessage, HostToWebview, parseHostToWebview, parseWebviewToHost, PROTOCOL_VERSION, REQUEST_TIMEOUT_MS, Snapshot, WebviewToHost,
} from '../../../src/protocol';

const msg = (over: Record<string, unknown> = {}) => ({ id: 'm1', role: 'assistant', text: 'hi', time: 1, ...over });
const snapshot = (over: Record<string, unknown> = {}) => ({
  messages: [msg()], busy: false, signedIn: true, simulator: false, strings: { Send: '发送' }, locale: 'zh-cn', ...over,
});

describe('host<->webview protocol (src/protocol.ts)', () => {
  it('exposes the version and the request timeout', () => {
    assert.equal(PROTOCOL_VERSION, 2);
    assert.equal(REQUEST_TIMEOUT_MS, 30_000);
  });

  describe('webview -> host', () => {
    const valid: unknown[] = [
      { type: 'ready', protocolVersion: 2 },
      { type: 'send', requestId: 'r1', text: 'make a video' },
      { type: 'send', requestId: 'r1', text: 'x'.repeat(20_000) },
      { type: 'stop', requestId: 'r2' },
      { type: 'attach', requestId: 'r3' },
      { type: 'export', requestId: 'r4' },
      { type: 'credits', requestId: 'r5' },
      { type: 'newProject', requestId: 'r6' },
      { type: 'action', requestId: 'r7', messageId: 'm1', action: { id: 'openLink', label: 'Open', url: 'https://nemovideo.com' } },
      { type: 'action', requestId: 'r8', messageId: 'm1', action: { id: 'retry', label: 'Retry', arg: 'm0' } },
      { type: 'uiError', message: 'oops' },
      { type: 'attach', requestId: 'r9', uris: ['file:///w/a.mp4', 'file:///w/b.png'] },
      { type: 'answer', requestId: 'r11', messageId: 'm1', choice: 'Cinematic' },
      { type: 'options', requestId: 'r12', options: { durationSeconds: 15, aspectRatio: '9:16', voiceOver: false } },
      { type: 'edit', requestId: 'r13', messageId: 'u1', text: 'make it blue' },
    ];
    for (const m of valid) {
      it(`accepts ${JSON.stringify(m).slice(0, 80)}`, () => assert.deepEqual(parseWebviewToHost(m), m));
    }

    const invalid: Array<[string, unknown]> = [
      ['null', null],
      ['a string', 'send'],
      ['an array', [{ type: 'ready', protocolVersion: 2 }]],
      ['an unknown type', { type: 'runCommand', command: 'workbench.action.quit' }],
      ['a host->webview type', { type: 'snapshot', snapshot: snapshot() }],
      ['no type', { requestId: 'r', text: 'x' }],
      ['ready without version', { type: 'ready' }],
      ['send without requestId', { type: 'send', text: 'x' }],
      ['send with an empty requestId', { type: 'send', requestId: '', text: 'x' }],
      ['send with a 129-char requestId', { type: 'send', requestId: 'r'.repeat(129), text: 'x' }],
      ['send with empty text', { type: 'send', requestId: 'r', text: '' }],
      ['send over 20,000 chars', { type: 'send', requestId: 'r', text: 'x'.repeat(20_001) }],
      ['send with a number as text', { type: 'send', requestId: 'r', text: 42 }],
      ['an action with an unknown id', { type: 'action', requestId: 'r', messageId: 'm', action: { id: 'runCommand', label: 'x' } }],
      ['an action without label', { type: 'action', requestId: 'r', messageId: 'm', action: { id: 'retry' } }],
      ['an action url over 2,048 chars', { type: 'action', requestId: 'r', messageId: 'm', action: { id: 'openLink', label: 'x', url: 'https://a/' + 'x'.repeat(2_048) } }],
      ['a uiError over 2,000 chars', { type: 'uiError', message: 'x'.repeat(2_001) }],
      ['a stop without requestId', { type: 'stop' }],
      ['an attach with no uris', { type: 'attach', requestId: 'r', uris: [] }],
      ['an attach with 11 uris', { type: 'attach', requestId: 'r', uris: Array.from({ length: 11 }, (_, i) => `file:///w/${i}.mp4`) }],
      ['an attach with a 4,097-char uri', { type: 'attach', requestId: 'r', uris: ['file:///' + 'x'.repeat(4_090)] }],
      ['an answer with an empty choice', { type: 'answer', requestId: 'r', messageId: 'm', choice: '' }],
      ['an answer over 120 chars', { type: 'answer', requestId: 'r', messageId: 'm', choice: 'x'.repeat(121) }],
      ['an answer without messageId', { type: 'answer', requestId: 'r', choice: 'a' }],
      ['options with a length not offered', { type: 'options', requestId: 'r', options: { durationSeconds: 45, aspectRatio: '16:9', voiceOver: true } }],
      ['options with an aspect ratio not offered', { type: 'options', requestId: 'r', options: { durationSeconds: 15, aspectRatio: '4:3', voiceOver: true } }],
      ['an edit with empty text', { type: 'edit', requestId: 'r', messageId: 'u1', text: '' }],
      ['an edit over 20,000 chars', { type: 'edit', requestId: 'r', messageId: 'u1', text: 'x'.repeat(20_001) }],
      ['an edit without messageId', { type: 'edit', requestId: 'r', text: 'x' }],
      ['options with voiceOver as a string', { type: 'options', requestId: 'r', options: { durationSeconds: 15, aspectRatio: '16:9', voiceOver: 'yes' } }],
    ];
    for (const [name, m] of invalid) {
      it(`rejects ${name}`, () => assert.equal(parseWebviewToHost(m), undefined));
    }

    it('never throws, whatever arrives', () => {
      const cyclic: Record<string, unknown> = { type: 'send', requestId: 'r' };
      cyclic.text = cyclic;
      for (const m of [undefined, 0, NaN, Symbol('x'), () => 1, new Date(), cyclic, Object.create(null)]) {
        assert.equal(parseWebviewToHost(m), undefined);
      }
    });

    it('drops unknown fields, so a smuggled token never reaches a handler', () => {
      const parsed = parseWebviewToHost({ type: 'send', requestId: 'r', text: 'x', token: 'nv_secret', authorization: 'Bearer x' });
      assert.deepEqual(parsed, { type: 'send', requestId: 'r', text: 'x' });
    });
  });

  describe('host -> webview', () => {
    const valid: unknown[] = [
      { type: 'snapshot', snapshot: snapshot() },
      { type: 'snapshot', snapshot: snapshot({ runId: 'run1', lastSeq: 12, busy: true, busyLabel: 'Rendering…', credits: 100, projectTitle: 'T', notice: 'Untrusted' }) },
      { type: 'messageAdded', message: msg({ role: 'user' }) },
      { type: 'messageUpdated', message: msg({ status: 'done', actions: [{ id: 'retry', label: 'Retry' }] }) },
      { type: 'streamDelta', runId: 'run1', messageId: 'm1', seq: 3, text: 'abc' },
      { type: 'busy', busy: true, runId: 'run1', label: 'Working' },
      { type: 'busy', busy: false },
      { type: 'credits', available: 0 },
      { type: 'response', requestId: 'r1', ok: true },
      { type: 'response', requestId: 'r1', ok: false, error: 'No' },
      { type: 'messageAdded', message: msg({ choices: ['Cinematic', 'Playful'] }) },
      { type: 'messageAdded', message: msg({ role: 'system', video: 'https://file+.vscode-resource.vscode-cdn.net/w/videos/a.mp4' }) },
      { type: 'snapshot', snapshot: snapshot({ composer: { durationSeconds: 60, aspectRatio: '1:1', voiceOver: true } }) },
    ];
    for (const m of valid) {
      it(`accepts ${JSON.stringify(m).slice(0, 80)}`, () => assert.deepEqual(parseHostToWebview(m), m));
    }

    const invalid: Array<[string, unknown]> = [
      ['an unknown type', { type: 'eval', code: '1' }],
      ['a webview->host type', { type: 'send', requestId: 'r', text: 'x' }],
      ['a message with an unknown role', { type: 'messageAdded', message: msg({ role: 'html' }) }],
      ['a message with an unknown status', { type: 'messageAdded', message: msg({ status: 'weird' }) }],
      ['a message over 5 MB', { type: 'messageAdded', message: msg({ text: 'x'.repeat(5_000_001) }) }],
      ['a message without time', { type: 'messageAdded', message: { id: 'm', role: 'user', text: 'x' } }],
      ['seven actions', { type: 'messageAdded', message: msg({ actions: Array.from({ length: 7 }, () => ({ id: 'retry', label: 'R' })) }) }],
      ['an action label over 2,000 chars', { type: 'messageAdded', message: msg({ actions: [{ id: 'retry', label: 'x'.repeat(2_001) }] }) }],
      ['a delta without seq', { type: 'streamDelta', runId: 'r', messageId: 'm', text: 'x' }],
      ['a delta with a string seq', { type: 'streamDelta', runId: 'r', messageId: 'm', seq: '1', text: 'x' }],
      ['a snapshot without strings', { type: 'snapshot', snapshot: snapshot({ strings: undefined }) }],
      ['a snapshot with a non-string string', { type: 'snapshot', snapshot: snapshot({ strings: { Send: 1 } }) }],
      ['a snapshot with a bad message', { type: 'snapshot', snapshot: snapshot({ messages: [msg({ id: '' })] }) }],
      ['a snapshot with a notice over 2,000 chars', { type: 'snapshot', snapshot: snapshot({ notice: 'x'.repeat(2_001) }) }],
      ['credits as a string', { type: 'credits', available: '5' }],
      ['a response without ok', { type: 'response', requestId: 'r' }],
      ['a response error over 2,000 chars', { type: 'response', requestId: 'r', ok: false, error: 'x'.repeat(2_001) }],
      ['seven choices', { type: 'messageAdded', message: msg({ choices: Array.from({ length: 7 }, (_, i) => `c${i}`) }) }],
      ['an empty choice', { type: 'messageAdded', message: msg({ choices: ['a', ''] }) }],
      ['a choice over 120 chars', { type: 'messageAdded', message: msg({ choices: ['a', 'x'.repeat(121)] }) }],
      ['an empty video', { type: 'messageAdded', message: msg({ video: '' }) }],
      ['composer options not offered', { type: 'snapshot', snapshot: snapshot({ composer: { durationSeconds: 90, aspectRatio: '1:1', voiceOver: true } }) }],
    ];
    for (const [name, m] of invalid) {
      it(`rejects ${name}`, () => assert.equal(parseHostToWebview(m), undefined));
    }

    it('cannot carry the token: snapshot fields are fixed and unknown ones are stripped', () => {
      const parsed = parseHostToWebview({ type: 'snapshot', snapshot: snapshot({ token: 'nv_secret', userToken: 'x' }) });
      assert.ok(parsed && parsed.type === 'snapshot');
      assert.equal(JSON.stringify(parsed).includes('nv_secret'), false);
      assert.equal('token' in parsed.snapshot, false);
    });
  });

  it('has no token-like field anywhere in either direction', () => {
    const keys = new Set<string>();
    for (const schema of [WebviewToHost, HostToWebview, Snapshot, ChatMessage]) collectKeys(schema, keys, new Set());
    assert.ok(keys.has('requestId') && keys.has('signedIn') && keys.has('lastSeq'), 'the walker sees the schema');
    const suspicious = [...keys].filter((k) => /token|secret|password|passwd|authoriz|api.?key|bearer|cookie|credential/i.test(k));
    assert.deepEqual(suspicious, []);
  });
});

/** Walks a zod/mini schema and collects every object key it could carry. */
function collectKeys(schema: unknown, keys: Set<string>, seen: Set<unknown>): void {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return;
  const shape = def.shape as Record<string, unknown> | undefined;
  if (shape) {
    for (const [k, v] of Object.entries(shape)) {
      keys.add(k);
      collectKeys(v, keys, seen);
    }
  }
  for (const k of ['options', 'items']) {
    const list = def[k];
    if (Array.isArray(list)) for (const o of list) collectKeys(o, keys, seen);
  }
  for (const k of ['element', 'innerType', 'valueType', 'keyType', 'in', 'out']) collectKeys(def[k], keys, seen);
}
