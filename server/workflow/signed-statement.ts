import type { Actor } from '../access/actor.js';
import { nowMs } from '../clock.js';
import { readPublicKey, verifyStatement } from '../crypto/client.js';
import { AppError, badRequest } from '../errors.js';
import { currentKey } from '../sealed/keys/keys.service.js';

/** How far the time in a signed statement may be from the server's clock. */
const SIGNED_AT_SLACK_MS = 10 * 60_000;

/** A statement an officer signed, as stored beside the step it records. */
export interface SignedStatement {
  readonly by: string;
  readonly fingerprint: string;
  readonly signedAt: Date;
  readonly statement: string;
  readonly signature: string;
}

/**
 * Checks an officer's detached signature over a statement the server rebuilt itself (an
 * acknowledgement, a decision): signed now, with the officer's current key. `what` names the
 * step in errors ("an acknowledgement").
 */
export async function verifySigned(
  actor: Pick<Actor, 'userId'>,
  input: { statement: string; signature: string; signedAt: Date },
  what: string,
): Promise<SignedStatement> {
  if (Math.abs(input.signedAt.getTime() - nowMs()) > SIGNED_AT_SLACK_MS) {
    throw badRequest('The time of signing is too far from the server’s clock: check this computer’s clock.', [{ field: 'signedAt', message: 'is not now' }]);
  }
  const key = await currentKey(actor.userId);
  if (!key) throw new AppError(409, 'key-missing', `You need a key to sign ${what}.`);
  try {
    await verifyStatement({ statement: input.statement, signature: input.signature, signerKeys: [await readPublicKey(key.publicKey)], date: input.signedAt });
  } catch {
    throw new AppError(400, 'bad-signature', `The signature does not verify with your current key for ${what}.`);
  }
  return { by: actor.userId, fingerprint: key.fingerprint, signedAt: input.signedAt, statement: input.statement, signature: input.signature };
}
