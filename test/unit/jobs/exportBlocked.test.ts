// 402 is the plan, not credits (docs/protocol.md §11): a guest is asked to register,
// a registered user, who has an account already, to upgrade the plan; neither is
// offered Export again, and neither is told about credits.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { billingLink } from '../../../src/core/api/endpoints';
import { toNemoError } from '../../../src/core/api/errorTable';
import { NemoError } from '../../../src/core/errors';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/jobs/errorText');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { describeNemoError } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/jobs/errorText'));

const WEB = 'https://nemovideo.com';
const REGISTER = `${WEB}/register?bind=anon_1`;

function shown(anonymous: boolean) {
  const core = toNemoError({ reason: 'exportBlocked', httpStatus: 402 }, { anonymous, registerLink: REGISTER, webBaseUrl: WEB, runSse: false, secrets: [] });
  const described = describeNemoError(core, { operation: 'export', tokenIsAnonymous: anonymous, registerLink: REGISTER, webBaseUrl: WEB });
  return { core, ...described };
}

describe('402 export blocked: register or upgrade', () => {
  it('a guest is told to register, with the registration link that keeps the project', () => {
    const s = shown(true);
    assert.equal(s.core.message, 'Register at nemovideo.com to unlock export.');
    assert.equal(s.core.action, 'register');
    assert.equal(s.text, '⚠️ Register at nemovideo.com to unlock export.');
    assert.deepEqual(s.remedies, [{ kind: 'openLink', label: 'Register', url: REGISTER }]);
  });

  it('a registered user is told to upgrade the plan, with the billing page, and never to register', () => {
    const s = shown(false);
    assert.equal(s.core.action, 'upgradePlan');
    assert.equal(s.core.link, `${WEB}/dashboard/billing`);
    assert.match(s.core.message, /Upgrade your plan/);
    assert.equal(s.text, '⚠️ Your NemoVideo plan does not include export. Upgrade your plan at nemovideo.com, then export again.');
    assert.deepEqual(s.remedies, [{ kind: 'openLink', label: 'Upgrade plan', url: `${WEB}/dashboard/billing` }]);
    for (const t of [s.text, s.core.message, ...s.remedies.map((r) => `${r.label} ${r.url}`)]) assert.doesNotMatch(t, /regist|credit|top up/i);
  });

  it('what the user is told follows the token of the window, even when the error was made for the other kind', () => {
    const guestError = new NemoError({ kind: 'exportBlocked', message: 'Register at nemovideo.com to unlock export.', action: 'register', link: REGISTER });
    const asUser = describeNemoError(guestError, { operation: 'export', tokenIsAnonymous: false, registerLink: REGISTER, webBaseUrl: WEB });
    assert.deepEqual(asUser.remedies.map((r) => r.url), [`${WEB}/dashboard/billing`]);
  });

  it('the billing link is made from the configured web origin, trailing slashes or not', () => {
    assert.equal(billingLink('https://nemovideo.com/'), 'https://nemovideo.com/dashboard/billing');
    assert.equal(billingLink('http://127.0.0.1:8787'), 'http://127.0.0.1:8787/dashboard/billing');
  });
});
