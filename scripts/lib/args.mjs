// Command-line flags for the scripts, with npm's way of passing them as a
// fallback: `npm start --sim` (without `--`) reaches the script only as the
// environment variable npm_config_sim=true.
import { parseArgs } from 'node:util';

/**
 * Parses process.argv with node:util parseArgs; every option that was not given
 * on the command line is looked up as npm_config_<name> (dashes as underscores).
 */
export function readFlags(options) {
  const { values } = parseArgs({ options, allowPositionals: false, strict: true });
  for (const [name, spec] of Object.entries(options)) {
    if (values[name] !== undefined) continue;
    const fromNpm = process.env[`npm_config_${name.replace(/-/g, '_')}`];
    if (fromNpm === undefined || fromNpm === '') continue;
    values[name] = spec.type === 'boolean' ? fromNpm !== 'false' : fromNpm;
  }
  return values;
}

export function secondsFlag(value, name, fallback) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} expects a number of seconds, got "${value}"`);
  return n;
}
