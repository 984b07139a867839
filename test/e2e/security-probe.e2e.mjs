// Journey (issue 12): what another installed extension and a foreign API origin
// can get out of NemoVideo. The packaged .vsix is installed beside a second,
// test-only extension (test/fixtures/probe-extension) that tries everything an
// extension can do without the user: read activate()'s exports, ask VS Code for
// a NemoVideo session, call the segment commands with made-up arguments, and
// invoke the language-model tool.
// Before that, the user stores a token while the API origin is the simulator,
// which is not NemoVideo's own: NemoVideo must ask before sending the token there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/lib/paths.mjs';
import { runFromCommandPalette } from './support/palette.mjs';
import { useSession } from './support/session.mjs';
import { requestsTo, runSsePostCount } from './support/sim.mjs';

const PROBE = { id: 'nemotest.probe', version: '0.0.1', folder: path.join(REPO_ROOT, 'test', 'fixtures', 'probe-extension') };

describe('journey: another extension and a foreign origin get nothing', function () {
  const session = useSession({
    journey: 'security-probe',
    neighbours: [PROBE],
    // As a user has it: spending is confirmed, and the simulator's origin is not confirmed for the token.
    settings: { 'nemoVideo.confirmBeforeSpending': true, 'nemoVideo.askOptions': true, 'nemoVideo.trustedApiOrigins': [] },
  });
  let userToken;

  it('asks before the user token goes to an origin that is not NemoVideo\'s; declined, only a guest token goes there', async function () {
    const { page, sim } = session;
    userToken = sim.createUserToken(1000);
    await runFromCommandPalette(page, 'NemoVideo: Set API Token');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(userToken);
    await input.press('Enter');
    // Saving the token checks the balance: the first request with the token asks first.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(new URL(sim.url).origin), `the question does not name the origin: ${text}`);
    assert.ok(!text.includes(userToken), 'the dialog shows the token');
    await session.shot('origin-question');
    assert.equal(requestsTo(sim, '/api/credits').length, 0, 'a request went out before the user answered');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const deadline = Date.now() + 30000;
    while (requestsTo(sim, '/api/credits').length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
    const sent = sim.stats().requests.map((r) => r.authorization ?? '');
    assert.ok(sent.length > 0, 'nothing was sent after the answer');
    assert.ok(sent.every((a) => !a.includes(userToken)), 'the user token was sent after the user declined');
  });

  it('a second extension gets no exports, no token and cannot spend', async function () {
    const { page, sim, workspace } = session;
    const resultFile = path.join(workspace, 'probe-result.json');
    const read = () => (fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : { steps: [] });
    const step = (r, name) => r.steps.find((s) => s.step === name)?.value;
    const postsBefore = runSsePostCount(sim);

    await runFromCommandPalette(page, 'NemoVideo Probe: Try to Reach the Token');
    const deadline = Date.now() + 60000;
    let r = read();
    while (step(r, 'invokeTool started') === undefined && step(r, 'invokeTool') === undefined && Date.now() < deadline) {
      await page.waitForTimeout(200);
      r = read();
    }
    assert.equal(step(r, 'extension found'), true, JSON.stringify(r));
    assert.equal(step(r, 'exports type'), 'undefined', `activate() returned something to another extension: ${step(r, 'exports text')}`);
    assert.equal(step(r, 'token from exports'), undefined);
    assert.equal(step(r, 'authentication.getSession silent'), 'none', 'another extension got a NemoVideo session without the user allowing it');
    for (const command of ['nemoVideo.removeSegment', 'nemoVideo.editSegment']) assert.equal(step(r, `command ${command}`), 'returned', JSON.stringify(r));

    if (step(r, 'invokeTool started')) {
      // VS Code asks the user in a modal before a tool runs outside a chat request.
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30000 });
      await session.shot('tool-confirmation');
      assert.equal(runSsePostCount(sim), postsBefore, 'the tool spent before the user confirmed');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    }
    while (step(r, 'done') === undefined && Date.now() < deadline) {
      await page.waitForTimeout(200);
      r = read();
    }
    assert.equal(step(r, 'done'), true, `the probe did not finish: ${JSON.stringify(r)}`);
    const all = JSON.stringify(r);
    assert.ok(!all.includes(userToken), 'the probe saw the user token');
    assert.ok(!/nmv_/.test(all), `the probe saw a token: ${all}`);
    assert.equal(runSsePostCount(sim), postsBefore, `another extension made NemoVideo send a message: ${all}`);
    await session.shot('after-probe');
  });
});
