import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** TOTP as authenticator apps expect it (RFC 6238): SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
/** Codes one step early or late are accepted, for clocks that drift. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const ISSUER = 'Bharatpol Hub';

/** A new random TOTP seed, base32. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI and its QR code (SVG) that an authenticator app scans at enrolment. */
export async function totpEnrolment(secret: string, username: string): Promise<{ uri: string; qrSvg: string }> {
  const uri = generateURI({ issuer: ISSUER, label: username, secret });
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { uri, qrSvg };
}

/**
 * Checks `code` against `secret` at `epochSeconds`. Returns the time step it matched, which must
 * be later than `afterStep` (the last one accepted) so that a code is never accepted twice.
 */
export async function matchTotp(secret: string, code: string, epochSeconds: number, afterStep: number): Promise<number | undefined> {
  const result = await verify({
    secret,
    token: code,
    epoch: epochSeconds,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep >= 0 ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
