// One custom zod check for the host's hand-written rules. z.refine, z.regex, z.gte/z.lte and
// z.pipe+z.transform each pull their own part of zod core into the host bundle (0.7 to 1.3 KB
// minified apiece); z.check is a bare $ZodCheck (about 0.1 KB), so every rule is expressed
// through it. A failing rule raises a `custom` issue with the given message, as z.refine does.
import * as z from 'zod/mini';

export function rule<T>(ok: (value: T) => boolean, message = 'Invalid input') {
  return z.check<T>((payload) => {
    if (!ok(payload.value)) payload.issues.push({ code: 'custom', message, input: payload.value });
  });
}

/** `min <= value.length <= max` (strings and arrays), in place of z.minLength + z.maxLength. */
export function lengthBetween<T extends { length: number }>(min: number, max: number) {
  return rule<T>((v) => v.length >= min && v.length <= max, `Length must be ${min} to ${max}`);
}
