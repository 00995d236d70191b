import type { Types } from 'mongoose';
import { deny, recordSuccess, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { checkKeyPackets } from '../../crypto/packets.js';
import { bytesOf } from '../../db/binary.js';
import { isDuplicateKey } from '../../db/errors.js';
import { AppError } from '../../errors.js';
import { groupMembers, hierarchyGroupOf, hierarchyMember, parseGroupId } from './group-catalogue.js';
import { openingId, SealedOpening, type SealedOpeningDocument } from './opening.model.js';
import { epochKeyIds, forwardTarget } from './groups.service.js';

/** What sealed things (items, files) have in common: a group, an epoch, key packets, and forwards. */
export interface SealedRecord {
  readonly _id: unknown;
  readonly group: string;
  readonly epoch: number;
  readonly keyPackets: unknown;
  readonly forwards?: readonly { group: string; epoch: number; keyPackets: unknown }[] | null;
  /** The module that owns the record and alone may forward it (a broadcast, under its handling code). */
  readonly boundTo?: string | null;
}

/**
 * The key packets through which the actor may open a sealed thing: its own group's if the actor
 * is a member, else those of a group it was forwarded to, or opened for (see SealedOpening), that
 * the actor belongs to. Anyone else is refused, and the attempt audited.
 */
export async function readableKeyPackets(
  context: AuthorizeContext,
  record: SealedRecord,
  kind: string,
): Promise<{ group: string; epoch: number; keyPackets: Buffer }> {
  const candidates = [{ group: record.group, epoch: record.epoch, keyPackets: record.keyPackets }, ...(record.forwards ?? [])];
  for (const candidate of candidates) {
    const group = parseGroupId(candidate.group);
    // Hierarchy groups are decided from the actor (a broadcast's body is open for hundreds of
    // units); channels by their members.
    const member = hierarchyMember(context.actor, group) ?? (await groupMembers(group)).includes(context.actor.userId);
    if (member) return { group: candidate.group, epoch: candidate.epoch, keyPackets: bytesOf(candidate.keyPackets) };
  }
  const own = hierarchyGroupOf(context.actor);
  if (own && (kind === 'item' || kind === 'file')) {
    const opening = await SealedOpening.findById(openingId(kind, String(record._id), own)).lean<SealedOpeningDocument>();
    if (opening) return { group: opening.group, epoch: opening.epoch, keyPackets: bytesOf(opening.keyPackets) };
  }
  return deny(context, `${kind}:read`, { type: kind, id: String(record._id) });
}

/**
 * Checks a forward of a sealed thing: the actor can read it, may pass things into the target
 * group, and the new key packets open with the target's current epoch key.
 */
export async function checkForward(
  context: AuthorizeContext,
  record: SealedRecord,
  kind: string,
  target: { group: string; epoch: number; keyPackets: Uint8Array },
): Promise<{ group: string; epoch: number; keyPackets: Buffer }> {
  await readableKeyPackets(context, record, kind);
  const { group, epoch } = await forwardTarget(context, target.group);
  if (epoch.epoch !== target.epoch) throw new AppError(409, 'epoch-stale', `Forward to the group's current epoch (${epoch.epoch}).`);
  await checkKeyPackets(target.keyPackets, 'keyPackets', await epochKeyIds(epoch));
  return { group: group.id, epoch: epoch.epoch, keyPackets: Buffer.from(target.keyPackets) };
}

/**
 * Opens a sealed record (an item or a file) for another group: checks the forward, adds its key
 * packets to the record (the body is neither copied nor re-sent) and records it in the audit log.
 */
export async function forwardSealed(
  context: AuthorizeContext,
  record: SealedRecord & { _id: Types.ObjectId },
  kind: 'item' | 'file',
  target: { group: string; epoch: number; keyPackets: Uint8Array },
  store: { updateOne(filter: { _id: Types.ObjectId }, update: { $push: { forwards: object } }): { exec(): Promise<unknown> } },
): Promise<{ forwarded: string }> {
  if (record.boundTo) {
    throw new AppError(409, 'forward-through-owner', 'This is part of a broadcast: pass it on from the broadcast, where its handling code applies.');
  }
  const forward = await checkForward(context, record, kind, target);
  await store.updateOne({ _id: record._id }, { $push: { forwards: { ...forward, by: context.actor.userId, at: now() } } }).exec();
  await recordSuccess(context, `${kind}.forwarded`, { type: kind, id: String(record._id), label: forward.group });
  return { forwarded: forward.group };
}

/** Opens sealed records for more groups in one write, beside the records (see SealedOpening). */
export async function addOpenings(
  openings: readonly { kind: 'item' | 'file'; record: Types.ObjectId; group: string; epoch: number; keyPackets: Buffer }[],
  by: string,
  at: Date,
): Promise<void> {
  if (openings.length === 0) return;
  const documents = openings.map((opening) => ({ _id: openingId(opening.kind, String(opening.record), opening.group), ...opening, by, at }));
  try {
    await SealedOpening.insertMany(documents, { ordered: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    // Opened for a group again (a request handed up a second time, maybe at a newer epoch): the
    // newer key packets replace the older, one at a time (a rare path; FerretDB v1 hangs on an
    // update command of many statements).
    for (const document of documents) await SealedOpening.replaceOne({ _id: document._id }, document, { upsert: true });
  }
}
