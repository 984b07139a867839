// The Accounts menu's sessions as plain values (src/auth/accountSession.ts), against
// the fake `vscode` module for its texts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const SRC = path.resolve(__dirname, '../../../src');
const session = withFakeVscode(require.resolve('../../support/fakeVscode'), [path.join(SRC, 'auth/accountSession'), path.join(SRC, 'client/credits')], () =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../src/auth/accountSession') as typeof import('../../../src/auth/accountSession'),
);

const TOKEN = 'nmv_usr_unit_secret_value_0123456789';

describe('account sessions', () => {
  it('a session carries the token only as accessToken: the label and ids name the kind', () => {
    for (const kind of ['user', 'guest'] as const) {
      const s = session.toSession(kind, TOKEN, ['read']);
      assert.equal(s.accessToken, TOKEN);
      assert.deepEqual(s.scopes, ['read']);
      const visible = JSON.stringify({ id: s.id, account: s.account });
      assert.ok(!visible.includes(TOKEN.slice(-6)) && !visible.includes('nmv_'), `${kind}: ${visible}`);
    }
    assert.deepEqual(session.toSession('user', TOKEN).scopes, ['api'], 'no scopes asked: the default list, never an empty one');
    assert.deepEqual(session.toSession('user', TOKEN, []).scopes, ['api']);
    assert.equal(session.toSession('user', TOKEN).account.label, 'Your API token');
    assert.equal(session.toSession('guest', TOKEN).account.label, 'Guest');
  });

  it('the id and the label stay the same when the token is replaced (VS Code keys trusted extensions by label)', () => {
    const a = session.toSession('user', TOKEN);
    const b = session.toSession('user', 'nmv_usr_another_token_abcdefgh');
    assert.equal(a.id, b.id);
    assert.deepEqual(a.account, b.account);
    assert.notEqual(session.toSession('guest', TOKEN).id, a.id);
  });

  it('sessionChanges reports added, removed and a replaced token as changed', () => {
    const user = session.toSession('user', TOKEN);
    const guest = session.toSession('guest', 'nmv_usr_guest_token_0123456789');
    assert.deepEqual(session.sessionChanges([], [user]), { added: [user], removed: [], changed: [] });
    assert.deepEqual(session.sessionChanges([user], []), { added: [], removed: [user], changed: [] });
    assert.deepEqual(session.sessionChanges([guest], [user]), { added: [user], removed: [guest], changed: [] });
    const replaced = session.toSession('user', 'nmv_usr_replaced_token_0123456');
    assert.deepEqual(session.sessionChanges([user], [replaced]), { added: [], removed: [], changed: [replaced] });
    const same = session.sessionChanges([user], [session.toSession('user', TOKEN)]);
    assert.equal(session.hasChanges(same), false);
    assert.equal(session.hasChanges(session.sessionChanges([], [guest])), true);
  });

  it('the sign-in choices say what a guest gets, with the documented numbers (docs/protocol.md §9)', () => {
    const choices = session.signInChoices();
    assert.deepEqual(
      choices.map((c) => c.id),
      ['token', 'guest'],
    );
    assert.equal(choices[1].detail, '100 free credits, about one generated video. A guest token lasts 7 days.');
    assert.match(choices[0].detail ?? '', /Settings → API Tokens/);
  });

  it('the guest numbers are the ones docs/protocol.md §9 documents', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/protocol.md'), 'utf8');
    assert.match(doc, new RegExp(`\\| Free credits on an anonymous token \\| ${session.GUEST_CREDITS} \\|`));
    assert.match(doc, new RegExp(`\\| Anonymous token lifetime \\| ${session.GUEST_TOKEN_DAYS} days[;| ]`));
  });

  it('the message after signing in names the kind and the balance when known', () => {
    assert.equal(session.signedInMessage('user', 1234), 'Signed in to NemoVideo with your API token. 1,234 credits available.');
    assert.equal(session.signedInMessage('guest', 100), 'Continuing as a NemoVideo guest. 100 credits available.');
    assert.equal(session.signedInMessage('guest', undefined), 'Continuing as a NemoVideo guest.');
  });
});
