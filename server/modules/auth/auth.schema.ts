import { z } from 'zod';
import { SIGN_IN_SECRET_PATTERN } from '../../crypto/kdf.js';

/** A username as typed: trimmed and lower-cased before lookup. */
export const usernameInput = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter your username.')
  .max(64, 'That is not a valid username.');

/** The sign-in secret derived in the browser (never the password itself). */
export const signInSecretInput = z.string().regex(SIGN_IN_SECRET_PATTERN, 'must be a derived sign-in secret');

/** A six-digit code from the authenticator app. */
export const totpCodeInput = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.');

/** Either an authenticator code or a recovery code (XXXXX-XXXXX). */
export const secondFactorInput = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{6}|[A-Z2-9]{5}-[A-Z2-9]{5})$/, 'Enter the 6-digit code from your authenticator app, or a recovery code.');

/** Enrolment tokens: 32 random bytes in base64url. */
export const enrolmentTokenInput = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This enrolment link is not valid.');

export const kdfRequestSchema = z.object({ username: usernameInput });

export const signInSchema = z.object({
  username: usernameInput,
  signInSecret: signInSecretInput,
  code: secondFactorInput,
});
export type SignInInput = z.output<typeof signInSchema>;

export const enrolmentLookupSchema = z.object({ token: enrolmentTokenInput });

/** An armored OpenPGP key block of reasonable size; the key policy checks the rest. */
const armoredKey = (kind: 'PUBLIC' | 'PRIVATE') =>
  z
    .string()
    .max(20_000, 'is too large for an officer key')
    .refine((value) => value.includes(`-----BEGIN PGP ${kind} KEY BLOCK-----`), `must be an armored ${kind.toLowerCase()} key`);

export const enrolmentCompleteSchema = z.object({
  token: enrolmentTokenInput,
  signInSecret: signInSecretInput,
  code: totpCodeInput,
  publicKey: armoredKey('PUBLIC'),
  encryptedPrivateKey: armoredKey('PRIVATE'),
});
export type EnrolmentCompleteInput = z.output<typeof enrolmentCompleteSchema>;

export const recoveryCodesSchema = z.object({ code: totpCodeInput });
