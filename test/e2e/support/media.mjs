// Is this file a video a person can play? ffprobe (Debian's ffmpeg, installed
// by the stack) reads the container and streams; ffmpeg then decodes every
// frame, which fails on a truncated or corrupt file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadStack } from '../../../scripts/lib/stack.mjs';

function tools() {
  const ffprobe = loadStack().ffprobe;
  assert.ok(ffprobe && fs.existsSync(ffprobe), 'ffprobe is not installed (scripts/setup-test-stack.sh installs Debian\'s ffmpeg)');
  return { ffprobe, ffmpeg: path.join(path.dirname(ffprobe), 'ffmpeg') };
}

/** ffprobe's JSON description: { format, streams }. */
export function probe(file) {
  const out = execFileSync(tools().ffprobe, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** Asserts an MP4 with an H.264 video stream and a positive duration that decodes without errors. */
export function assertPlayableMp4(file) {
  assert.ok(fs.statSync(file).size > 0, `${file} is empty`);
  const info = probe(file);
  assert.match(info.format.format_name, /mp4/, `${file} is not an MP4 (${info.format.format_name})`);
  const video = info.streams.find((s) => s.codec_type === 'video');
  assert.ok(video, `${file} has no video stream`);
  assert.equal(video.codec_name, 'h264');
  assert.ok(Number(info.format.duration) > 0, `${file} has no duration`);
  const { ffmpeg } = tools();
  if (fs.existsSync(ffmpeg)) execFileSync(ffmpeg, ['-v', 'error', '-xerror', '-i', file, '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return info;
}
