import * as openpgp from 'openpgp';
import { AppError } from '../errors.js';
import { officerKeyEmail } from './client.js';

const keyRefused = (message: string): AppError => new AppError(400, 'key-refused', message, [{ field: 'publicKey', message }]);

/** Public-key algorithms accepted, with the smallest size for RSA. */
const STRONG_CURVES = new Set(['ed25519Legacy', 'curve25519Legacy', 'ed25519', 'x25519', 'ed448', 'x448', 'nistP256', 'nistP384', 'nistP521']);
const MIN_RSA_BITS = 3072;

function checkAlgorithm(info: openpgp.AlgorithmInfo): void {
  if (info.algorithm.startsWith('rsa')) {
    if ((info.bits ?? 0) < MIN_RSA_BITS) throw keyRefused(`RSA keys need at least ${MIN_RSA_BITS} bits.`);
    return;
  }
  if (info.algorithm === 'dsa' || info.algorithm === 'elgamal') throw keyRefused(`${info.algorithm} keys are too weak.`);
  if (info.curve && !STRONG_CURVES.has(info.curve)) throw keyRefused(`The curve ${info.curve} is not accepted.`);
}

/** Reads a public key, refusing secret material, unreadable keys and weak algorithms. */
async function readStrongPublicKey(armored: string): Promise<openpgp.Key> {
  if (armored.includes('PRIVATE KEY')) throw keyRefused('This is a private key: only the public key may be sent.');
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch {
    throw keyRefused('This is not an OpenPGP public key.');
  }
  if (key.isPrivate()) throw keyRefused('This key carries secret material: only the public key may be sent.');
  checkAlgorithm(key.getAlgorithmInfo());
  for (const subkey of key.subkeys) checkAlgorithm(subkey.getAlgorithmInfo());
  return key;
}

/**
 * Checks an officer's public key before it is stored: a single valid public key (no secret
 * material), strong algorithms, self-signatures that verify, an encryption subkey, and a user id
 * naming this account. Returns the normalised armor and fingerprint.
 */
export async function checkOfficerPublicKey(armored: string, username: string): Promise<{ armored: string; fingerprint: string }> {
  const key = await readStrongPublicKey(armored);
  try {
    await key.verifyPrimaryKey();
    await key.getEncryptionKey();
  } catch {
    throw keyRefused('The key is expired, revoked, unsigned or has no encryption subkey.');
  }
  const emails = key.users.map((user) => user.userID?.email).filter(Boolean);
  if (!emails.includes(officerKeyEmail(username))) throw keyRefused(`The key's user id must be ${officerKeyEmail(username)}.`);
  return { armored: key.armor(), fingerprint: key.getFingerprint() };
}

/**
 * Checks the passphrase-protected private key an officer stores for signing in elsewhere: it
 * must belong to `fingerprint` and every secret part must be encrypted, so the server holds
 * nothing that opens without the officer's password.
 */
export async function checkEncryptedPrivateKey(armored: string, fingerprint: string): Promise<string> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch {
    throw new AppError(400, 'key-refused', 'The private key is not a valid OpenPGP private key.', [{ field: 'encryptedPrivateKey', message: 'is not a private key' }]);
  }
  if (key.getFingerprint() !== fingerprint) {
    throw new AppError(400, 'key-refused', 'The private key does not match the public key.', [{ field: 'encryptedPrivateKey', message: 'does not match' }]);
  }
  const parts = [key.keyPacket, ...key.subkeys.map((subkey) => subkey.keyPacket)] as openpgp.SecretKeyPacket[];
  if (parts.some((packet) => packet.isDecrypted() !== false)) {
    throw new AppError(400, 'key-refused', 'The private key must be protected by a passphrase.', [{ field: 'encryptedPrivateKey', message: 'is not encrypted' }]);
  }
  return key.armor();
}

/** Checks a group's public key for one epoch: a valid public key with strong algorithms. */
export async function checkGroupPublicKey(armored: string): Promise<{ armored: string; fingerprint: string }> {
  const key = await readStrongPublicKey(armored);
  try {
    await key.getEncryptionKey();
  } catch {
    throw keyRefused('The group key has no usable encryption subkey.');
  }
  return { armored: key.armor(), fingerprint: key.getFingerprint() };
}
