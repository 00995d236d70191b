import mongoose from 'mongoose';
import { authorize, deny, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { checkGroupPublicKey } from '../../crypto/key-policy.js';
import { checkSealedMessage, encryptionKeyIds } from '../../crypto/packets.js';
import { bytesOf } from '../../db/binary.js';
import { isDuplicateKey } from '../../db/errors.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import { BatchLoader } from '../../shared/batch-loader.js';
import { directory } from '../directory.js';
import { currentKey, currentKeys } from '../keys/keys.service.js';
import { groupAgency, groupMembers, parseGroupId, type GroupRef } from './group-catalogue.js';
import { Envelope, GroupEpoch, type EnvelopeDocument, type GroupEpochDocument } from './group.model.js';
import type { CreateEpochInput, ShareEnvelopesInput } from './groups.schema.js';

/** An epoch of a group's key, as the service hands it out. */
export type { GroupEpochDocument } from './group.model.js';

/** A member as other members need them: to seal envelopes to their current key. */
export interface GroupMemberView {
  readonly accountId: string;
  readonly username: string;
  readonly displayName: string;
  readonly fingerprint: string | undefined;
  readonly publicKey: string | undefined;
}

/** Everything a member's client needs to read and write in a group. */
export interface GroupState {
  readonly group: string;
  readonly members: GroupMemberView[];
  readonly epochs: { epoch: number; publicKey: string; fingerprint: string; createdAt: string }[];
  /** The caller's envelopes (for their current key), by epoch. */
  readonly envelopes: { epoch: number; data: string; sharedBy: string; sharerFingerprint: string }[];
  /** A member left since the last epoch began: the next write must start a new epoch. */
  readonly rotationNeeded: boolean;
  /** Members (on their current key) who lack envelopes for some epochs; any member holding them can share. */
  readonly pendingShares: { accountId: string; fingerprint: string; epochs: number[] }[];
}

/** The group of `groupId` and whether `context.actor` belongs to it; non-members are refused and audited. */
export async function requireMembership(context: AuthorizeContext, groupId: string): Promise<{ group: GroupRef; members: string[] }> {
  const group = parseGroupId(groupId);
  const members = await groupMembers(group);
  if (!members.includes(context.actor.userId)) return deny(context, 'group:read', { type: 'group', id: group.id });
  return { group, members };
}

/** Latest epochs asked for at the same moment are read together. */
const latestEpochLoader = new BatchLoader((groupIds) => latestEpochs(groupIds));

/** The latest epoch of a group, if any. */
export async function latestEpoch(groupId: string): Promise<GroupEpochDocument | null> {
  return (await latestEpochLoader.load(groupId)) ?? null;
}

/** The key of the epoch a new item must be written to; refuses a stale one (after a member left). */
export async function writableEpoch(groupId: string, epoch: number, members: string[]): Promise<GroupEpochDocument> {
  const latest = await latestEpoch(groupId);
  if (!latest) throw new AppError(409, 'group-key-missing', 'This group has no key yet: start its first epoch.');
  if (latest.epoch !== epoch) throw new AppError(409, 'epoch-stale', `Write to the group's current epoch (${latest.epoch}).`);
  if (latest.members.some((member) => !members.includes(String(member)))) {
    throw new AppError(409, 'rotation-needed', 'A member left this group: start a new epoch before writing.');
  }
  return latest;
}

/** The latest epoch of each of `groupIds` that has one (one query, however many groups). */
export async function latestEpochs(groupIds: readonly string[]): Promise<Map<string, GroupEpochDocument>> {
  const latest = new Map<string, GroupEpochDocument>();
  if (groupIds.length === 0) return latest;
  const epochs = await GroupEpoch.find({ group: mongoose.trusted({ $in: [...new Set(groupIds)] }) }).lean<GroupEpochDocument[]>();
  for (const epoch of epochs) {
    if ((latest.get(epoch.group)?.epoch ?? 0) < epoch.epoch) latest.set(epoch.group, epoch);
  }
  return latest;
}

/** Parsed encryption key ids by key fingerprint (a key never changes). */
const keyIdsByFingerprint = new Map<string, Promise<Set<string>>>();

function keyIdsOf(key: { fingerprint: string; publicKey: string }): Promise<Set<string>> {
  let keyIds = keyIdsByFingerprint.get(key.fingerprint);
  if (!keyIds) {
    keyIds = encryptionKeyIds(key.publicKey);
    keyIds.catch(() => keyIdsByFingerprint.delete(key.fingerprint));
    if (keyIdsByFingerprint.size > 50_000) keyIdsByFingerprint.clear();
    keyIdsByFingerprint.set(key.fingerprint, keyIds);
  }
  return keyIds;
}

/** Key ids that key packets for `epoch` may use. */
export function epochKeyIds(epoch: GroupEpochDocument): Promise<Set<string>> {
  return keyIdsOf(epoch);
}

/**
 * Key ids that the key packets of something an officer writes for `epoch` may use: the epoch's
 * key, and the author's own key, so that authors can always open (and pass on) what they wrote,
 * even before a colleague has shared the group's key with them.
 */
export async function writerKeyIds(epoch: GroupEpochDocument, author: { fingerprint: string; publicKey: string }): Promise<Set<string>> {
  return new Set([...(await keyIdsOf(epoch)), ...(await keyIdsOf(author))]);
}

/** The state of a group for one of its members. */
export async function groupState(context: AuthorizeContext, groupId: string): Promise<GroupState> {
  const { group, members } = await requireMembership(context, groupId);
  const [epochs, accounts, keys, envelopes] = await Promise.all([
    GroupEpoch.find({ group: group.id }).sort({ epoch: 1 }).lean<GroupEpochDocument[]>(),
    directory().accounts(members),
    currentKeys(members),
    Envelope.find({ group: group.id }, { epoch: 1, recipient: 1, recipientFingerprint: 1 }).lean<EnvelopeDocument[]>(),
  ]);
  const myKey = keys.get(context.actor.userId);
  const mine = myKey
    ? await Envelope.find({ group: group.id, recipient: context.actor.userId, recipientFingerprint: myKey.fingerprint }).lean<EnvelopeDocument[]>()
    : [];
  const held = new Set(envelopes.map((envelope) => `${String(envelope.recipient)}/${envelope.recipientFingerprint}/${envelope.epoch}`));
  const latest = epochs[epochs.length - 1];
  const pendingShares = members.flatMap((accountId) => {
    const key = keys.get(accountId);
    if (!key) return [];
    const missing = epochs.filter((epoch) => !held.has(`${accountId}/${key.fingerprint}/${epoch.epoch}`)).map((epoch) => epoch.epoch);
    return missing.length ? [{ accountId, fingerprint: key.fingerprint, epochs: missing }] : [];
  });
  return {
    group: group.id,
    members: accounts.map((account) => {
      const key = keys.get(account.id);
      return {
        accountId: account.id,
        username: account.username,
        displayName: account.displayName,
        fingerprint: key?.fingerprint,
        publicKey: key?.publicKey,
      };
    }),
    epochs: epochs.map((epoch) => ({ epoch: epoch.epoch, publicKey: epoch.publicKey, fingerprint: epoch.fingerprint, createdAt: epoch.createdAt.toISOString() })),
    envelopes: mine.map((envelope) => ({
      epoch: envelope.epoch,
      data: bytesOf(envelope.data).toString('base64'),
      sharedBy: String(envelope.sharedBy),
      sharerFingerprint: envelope.sharerFingerprint,
    })),
    rotationNeeded: latest ? latest.members.some((member) => !members.includes(String(member))) : false,
    pendingShares,
  };
}

/**
 * Starts a new epoch: a new group public key and one envelope for each current member (on their
 * current key) and for no one else; a member who joined since the browser read the group gets
 * theirs shared afterwards. Two members racing to start the same epoch (their browsers do
 * it in the background, from any page): one wins, and the other is answered with the winner's
 * epoch (`started: false`), as good as its own, rather than with an error.
 */
export async function createEpoch(
  context: AuthorizeContext,
  groupId: string,
  input: CreateEpochInput,
): Promise<{ epoch: number; fingerprint: string; started: boolean }> {
  const { group, members } = await requireMembership(context, groupId);
  const latest = await latestEpoch(group.id);
  if (latest && input.epoch === latest.epoch) return { epoch: latest.epoch, fingerprint: latest.fingerprint, started: false };
  if (input.epoch !== (latest?.epoch ?? 0) + 1) {
    throw new AppError(409, 'epoch-conflict', `The next epoch of this group is ${(latest?.epoch ?? 0) + 1}. Reload and try again.`);
  }
  const sharerKey = await currentKey(context.actor.userId);
  if (!sharerKey) throw new AppError(409, 'key-missing', 'You need a key before you can share a group key.');
  const { armored, fingerprint } = await checkGroupPublicKey(input.publicKey);
  const keys = await currentKeys(members);
  const withKeys = members.filter((member) => keys.has(member));
  const recipients = input.envelopes.map((envelope) => envelope.recipient);
  if (new Set(recipients).size !== recipients.length) {
    throw badRequest('A new epoch needs exactly one envelope for every current member.', [{ field: 'envelopes', message: 'names a member twice' }]);
  }
  if (recipients.some((recipient) => !withKeys.includes(recipient))) {
    // Someone left (or took a new key) between the browser's read and this write: they must not get the new key.
    throw new AppError(409, 'members-changed', 'The group’s members changed meanwhile: seal the new key for its members as they are now.');
  }
  // A member who joined meanwhile has no envelope yet: theirs is shared after, like any newcomer's.
  for (const [index, envelope] of input.envelopes.entries()) {
    const key = keys.get(envelope.recipient);
    if (key) await checkSealedMessage(envelope.data, `envelopes.${index}.data`, await encryptionKeyIds(key.publicKey));
  }
  try {
    await GroupEpoch.create({ group: group.id, epoch: input.epoch, publicKey: armored, fingerprint, members: withKeys, createdBy: context.actor.userId });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const winner = await latestEpoch(group.id);
    if (winner?.epoch !== input.epoch) throw new AppError(409, 'epoch-conflict', 'Another member started a new epoch first. Reload and try again.');
    return { epoch: winner.epoch, fingerprint: winner.fingerprint, started: false };
  }
  await Envelope.insertMany(
    input.envelopes.map((envelope) => ({
      group: group.id,
      epoch: input.epoch,
      recipient: envelope.recipient,
      recipientFingerprint: keys.get(envelope.recipient)?.fingerprint,
      data: Buffer.from(envelope.data),
      sharedBy: context.actor.userId,
      sharerFingerprint: sharerKey.fingerprint,
    })),
  );
  await recordSuccess(context, 'group.epoch-started', { type: 'group', id: group.id, label: `epoch ${input.epoch}` }, { members: withKeys.length });
  return { epoch: input.epoch, fingerprint, started: true };
}

/**
 * Shares envelopes of existing epochs with members who lack them (a newcomer, or a colleague
 * re-enrolled with a new key). The sharer must hold each epoch's key themselves.
 */
export async function shareEnvelopes(context: AuthorizeContext, groupId: string, input: ShareEnvelopesInput): Promise<{ shared: number }> {
  const { group, members } = await requireMembership(context, groupId);
  const sharerKey = await currentKey(context.actor.userId);
  if (!sharerKey) throw new AppError(409, 'key-missing', 'You need a key before you can share a group key.');
  const heldEpochs = new Set(
    (await Envelope.find({ group: group.id, recipient: context.actor.userId, recipientFingerprint: sharerKey.fingerprint }, { epoch: 1 }).lean()).map(
      (envelope) => envelope.epoch,
    ),
  );
  const keys = await currentKeys(input.envelopes.map((envelope) => envelope.recipient));
  let shared = 0;
  for (const [index, envelope] of input.envelopes.entries()) {
    const key = keys.get(envelope.recipient);
    if (!members.includes(envelope.recipient) || !key) {
      throw badRequest('Envelopes can be shared only with current members who have a key.', [{ field: `envelopes.${index}.recipient`, message: 'is not a member' }]);
    }
    if (!heldEpochs.has(envelope.epoch)) {
      throw badRequest('You can share only the epochs you hold yourself.', [{ field: `envelopes.${index}.epoch`, message: 'not held' }]);
    }
    await checkSealedMessage(envelope.data, `envelopes.${index}.data`, await encryptionKeyIds(key.publicKey));
    try {
      const result = await Envelope.updateOne(
        { group: group.id, epoch: envelope.epoch, recipient: envelope.recipient, recipientFingerprint: key.fingerprint },
        { $setOnInsert: { data: Buffer.from(envelope.data), sharedBy: context.actor.userId, sharerFingerprint: sharerKey.fingerprint } },
        { upsert: true },
      );
      shared += result.upsertedCount;
    } catch (error) {
      // Two members' browsers shared the same envelope at once: the other one is stored, as good as this.
      if (!isDuplicateKey(error)) throw error;
    }
  }
  if (shared > 0) {
    await recordSuccess(context, 'group.envelopes-shared', { type: 'group', id: group.id }, { envelopes: shared });
  }
  return { shared };
}

/**
 * The current public key of a group the actor may pass things into (a member, an ILO to its
 * units, the CBI desk to agencies' ILOs), for re-wrapping session keys when forwarding.
 */
export async function forwardTarget(context: AuthorizeContext, groupId: string): Promise<{ group: GroupRef; epoch: GroupEpochDocument }> {
  const group = parseGroupId(groupId);
  const members = await groupMembers(group);
  await authorize(context, 'group:forward-into', {
    kind: 'group',
    groupKind: group.kind,
    agencyId: await groupAgency(group),
    member: members.includes(context.actor.userId),
  });
  const epoch = await latestEpoch(group.id);
  if (!epoch) throw notFound('group-key');
  return { group, epoch };
}
