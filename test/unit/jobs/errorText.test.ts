// What an export failure says: a failure that trying again may fix gets the general
// sentence (and Export again), one that it cannot fix keeps the core's own sentence,
// which says what to change (disk full, size limit).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { NemoError } from '../../../src/core/errors';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/jobs/errorText');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { describeNemoError } = withFakeVscode(require.resolve('../../support/fakeVscode'), [MODULE], () => require(MODULE) as typeof import('../../../src/jobs/errorText'));

const CTX = { operation: 'export' as const, tokenIsAnonymous: false, webBaseUrl: 'https://nemovideo.com' };

describe('jobs/errorText: download failures', () => {
  it('a retryable download failure gets the general sentence', () => {
    const e = new NemoError({ kind: 'downloadFailed', message: 'The download stalled: no data arrived for 60 seconds. Please try again.', retryable: true });
    assert.match(describeNemoError(e, CTX).text, /could not be downloaded\. Try the export again\./);
  });

  it('one that trying again cannot fix keeps its own sentence', () => {
    for (const message of ['There is not enough disk space to save the video.', 'The video is 5.0 GB, more than the download limit of 4.0 GB. Raise nemoVideo.download.maxSizeGB in your settings or export a shorter video.']) {
      const text = describeNemoError(new NemoError({ kind: 'downloadFailed', message, retryable: false }), CTX).text;
      assert.ok(text.includes(message), text);
      assert.doesNotMatch(text, /Try the export again/);
    }
  });
});
