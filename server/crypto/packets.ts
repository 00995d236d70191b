import * as openpgp from 'openpgp';
import { badRequest } from '../errors.js';

/**
 * Checks on ciphertext that officers upload. The server cannot read it, but it can refuse
 * anything that is not what the client promised: key packets must be only public-key-encrypted
 * session keys (for the keys named), and a body only one integrity-protected encrypted packet, so
 * that no literal (clear) data can be stored by mistake or by malice.
 */
const keyPacketTypes = {
  [openpgp.enums.packet.publicKeyEncryptedSessionKey]: openpgp.PublicKeyEncryptedSessionKeyPacket,
} as unknown as Parameters<typeof openpgp.PacketList.fromBinary>[1];

const bodyPacketTypes = {
  [openpgp.enums.packet.symEncryptedIntegrityProtectedData]: openpgp.SymEncryptedIntegrityProtectedDataPacket,
} as unknown as Parameters<typeof openpgp.PacketList.fromBinary>[1];

/**
 * Parses key packets and returns the key ids they are encrypted to (hex). Refuses anything else,
 * or key packets for keys other than `allowedKeyIds` when given.
 */
export async function checkKeyPackets(bytes: Uint8Array, field: string, allowedKeyIds?: ReadonlySet<string>): Promise<string[]> {
  let packets: openpgp.PacketList<openpgp.AnyPacket>;
  try {
    packets = await openpgp.PacketList.fromBinary(bytes, keyPacketTypes);
  } catch {
    throw badRequest('The key packets are not valid OpenPGP session-key packets.', [{ field, message: 'must be OpenPGP key packets' }]);
  }
  if (packets.length === 0) throw badRequest('There are no key packets.', [{ field, message: 'is empty' }]);
  // The packet's key id is public in the format but missing from OpenPGP.js's type declarations.
  const keyIds = packets.map((packet) => (packet as unknown as { publicKeyID: openpgp.KeyID }).publicKeyID.toHex());
  if (allowedKeyIds && keyIds.some((keyId) => !allowedKeyIds.has(keyId))) {
    throw badRequest('The key packets are not for the group key of this epoch.', [{ field, message: 'must open with the epoch key' }]);
  }
  return keyIds;
}

/** Refuses a body that is not exactly one integrity-protected encrypted data packet. */
export async function checkEncryptedBody(bytes: Uint8Array, field: string): Promise<void> {
  let packets: openpgp.PacketList<openpgp.AnyPacket>;
  try {
    packets = await openpgp.PacketList.fromBinary(bytes, bodyPacketTypes);
  } catch {
    throw badRequest('The content is not an encrypted OpenPGP message.', [{ field, message: 'must be OpenPGP encrypted data' }]);
  }
  if (packets.length !== 1) {
    throw badRequest('The content must be exactly one encrypted data packet.', [{ field, message: 'must be one encrypted packet' }]);
  }
}

/** The key ids (hex) of a public key's encryption-capable subkeys, for checking key packets. */
export async function encryptionKeyIds(armoredPublicKey: string): Promise<Set<string>> {
  const key = await openpgp.readKey({ armoredKey: armoredPublicKey });
  return new Set([key.getKeyID().toHex(), ...key.subkeys.map((subkey) => subkey.getKeyID().toHex())]);
}

const messagePacketTypes = {
  [openpgp.enums.packet.publicKeyEncryptedSessionKey]: openpgp.PublicKeyEncryptedSessionKeyPacket,
  [openpgp.enums.packet.symEncryptedIntegrityProtectedData]: openpgp.SymEncryptedIntegrityProtectedDataPacket,
} as unknown as Parameters<typeof openpgp.PacketList.fromBinary>[1];

/**
 * Refuses a whole message (key packets then one encrypted packet, as envelopes are) that is
 * malformed or encrypted to keys other than `allowedKeyIds`.
 */
export async function checkSealedMessage(bytes: Uint8Array, field: string, allowedKeyIds: ReadonlySet<string>): Promise<void> {
  let packets: openpgp.PacketList<openpgp.AnyPacket>;
  try {
    packets = await openpgp.PacketList.fromBinary(bytes, messagePacketTypes);
  } catch {
    throw badRequest('This is not an encrypted OpenPGP message.', [{ field, message: 'must be an OpenPGP message' }]);
  }
  const last = packets[packets.length - 1];
  const keyPackets = packets.slice(0, -1);
  const wellFormed =
    last instanceof openpgp.SymEncryptedIntegrityProtectedDataPacket &&
    keyPackets.length > 0 &&
    keyPackets.every((packet) => packet instanceof openpgp.PublicKeyEncryptedSessionKeyPacket);
  if (!wellFormed) throw badRequest('The message must be key packets followed by one encrypted packet.', [{ field, message: 'is malformed' }]);
  const keyIds = keyPackets.map((packet) => (packet as unknown as { publicKeyID: openpgp.KeyID }).publicKeyID.toHex());
  if (keyIds.some((keyId) => !allowedKeyIds.has(keyId))) {
    throw badRequest('The message is not encrypted to its recipient’s key.', [{ field, message: 'wrong recipient' }]);
  }
}
