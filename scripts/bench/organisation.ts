/**
 * What the request benchmarks (Broadcast, References) set up in their own database before they
 * measure: the CBI and agencies, accounts, an officer key for those who seal and sign, and one
 * group key standing for every group (wrapping costs the same whatever the recipient key).
 */
import type mongoose from 'mongoose';
import type { Role } from '../../server/access/roles.js';
import { generateGroupKey, generateOfficerKey, readPrivateKey, readPublicKey, unlockPrivateKey, type PrivateKey, type PublicKey } from '../../server/crypto/client.js';
import { Agency, type AgencyDocument } from '../../server/modules/organisation/organisation.model.js';
import { GroupEpoch } from '../../server/sealed/groups/group.model.js';
import { OfficerKey } from '../../server/sealed/keys/officer-key.model.js';

/** The CBI and `count` agencies (one in five central). */
export async function benchAgencies(count: number): Promise<{ cbi: AgencyDocument; agencies: AgencyDocument[] }> {
  const cbi = (await Agency.create({ code: 'CBI', name: 'CBI', type: 'ncb' })).toObject() as AgencyDocument;
  const agencies = await Agency.insertMany(Array.from({ length: count }, (_, index) => ({ code: `A${index}`, name: `Agency ${index}`, type: index % 5 === 0 ? 'central' : 'state' })));
  return { cbi, agencies: agencies.map((agency) => agency.toObject() as AgencyDocument) };
}

/** An active account's fields, named `name` (no password: the benchmarks' sessions are written to the store). */
export function benchAccount(role: Role, agency: mongoose.Types.ObjectId, name: string, unit?: mongoose.Types.ObjectId) {
  return { username: name, displayName: name, role, agency, ...(unit ? { unit } : {}), status: 'active' as const, kdfSalt: 'AAAAAAAAAAAAAAAAAAAAAA', kdfIterations: 1000 };
}

/** Gives an account an officer key and returns it unlocked, as its browser would hold it. */
export async function benchOfficerKey(account: { _id: mongoose.Types.ObjectId; username: string; displayName: string }): Promise<PrivateKey> {
  const pair = await generateOfficerKey({ name: account.displayName, username: account.username, passphrase: 'bench' });
  await OfficerKey.create({ account: account._id, fingerprint: pair.fingerprint, publicKey: pair.publicKey, encryptedPrivateKey: pair.encryptedPrivateKey });
  return unlockPrivateKey(pair.encryptedPrivateKey, 'bench');
}

/** One group key, made epoch 1 of each of `groups` (its private half kept here, not wrapped for anyone). */
export async function benchGroupKey(groups: readonly string[], createdBy: mongoose.Types.ObjectId): Promise<{ publicKey: PublicKey; privateKey: PrivateKey }> {
  const group = await generateGroupKey({ group: 'bench', epoch: 1 });
  await GroupEpoch.insertMany(groups.map((id) => ({ group: id, epoch: 1, publicKey: group.publicKey, fingerprint: group.fingerprint, members: [], createdBy })));
  return { publicKey: await readPublicKey(group.publicKey), privateKey: await readPrivateKey(group.privateKey) };
}

