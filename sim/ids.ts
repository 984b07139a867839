// Identifier shapes of docs/protocol.md §2.6. Ids use crypto randomness (they must be
// unique and unguessable); only behaviour choices use the seeded PRNG.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export function newUserToken(): string {
  return `nmv_usr_${randomBytes(32).toString('base64url')}`;
}

export function newClaimToken(): string {
  return `clm_${randomBytes(24).toString('base64url')}`;
}

export function newAnonUserId(): string {
  return `anon_${randomBytes(8).toString('hex')}`;
}

export function newRegisteredUserId(): string {
  return `usr_${randomBytes(8).toString('hex')}`;
}

export function newTaskId(): string {
  return `task_${randomBytes(8).toString('hex')}`;
}

/** A 19-digit decimal string, always above 2^53 so a client that parses it as a number loses digits. */
export function newSessionId(): string {
  const min = 10n ** 18n;
  const span = 9_000_000_000_000_000_000n - min;
  const r = BigInt(`0x${randomBytes(8).toString('hex')}`) % span;
  return (min + r).toString();
}

export function newInvocationId(): string {
  return `e-${randomUUID()}`;
}

export function newFunctionCallId(): string {
  return `adk-${randomUUID()}`;
}

/** ADK 1.6.1 and later: `str(uuid.uuid4())`. */
export function newEventId(): string {
  return randomUUID();
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** ADK 0.1 - 1.5: 8 random ASCII letters and digits (`Event.new_id`). */
export function newShortEventId(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return out;
}

export function shortHex(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}
