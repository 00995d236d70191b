import mongoose from 'mongoose';
import type { AuthorizeContext } from '../../access/authorize.js';
import { checkEncryptedBody, checkKeyPackets } from '../../crypto/packets.js';
import { bytesOf } from '../../db/binary.js';
import { AppError, notFound } from '../../errors.js';
import { currentKey } from '../keys/keys.service.js';
import { requireMembership, writableEpoch, writerKeyIds } from '../groups/groups.service.js';
import { forwardSealed, readableKeyPackets } from '../groups/sealed-access.js';
import { EncryptedItem, type EncryptedItemDocument } from './item.model.js';
import type { CreateItemInput, ForwardInput } from './items.schema.js';

export const ITEMS_PAGE_SIZE = 50;

/** An item as a reader receives it: the body and the key packets that open it for them. */
export interface ItemView {
  readonly id: string;
  readonly group: string;
  readonly epoch: number;
  readonly authorId: string;
  readonly authorFingerprint: string;
  readonly createdAt: string;
  /** base64 */
  readonly body: string;
  /** base64; for the reader's group (the item's own, or the one it was forwarded to). */
  readonly keyPackets: string;
  readonly via: string;
}

function present(item: EncryptedItemDocument, access: { group: string; epoch: number; keyPackets: Buffer }): ItemView {
  return {
    id: String(item._id),
    group: item.group,
    epoch: access.epoch,
    authorId: String(item.author),
    authorFingerprint: item.authorFingerprint,
    createdAt: item.createdAt.toISOString(),
    body: bytesOf(item.body).toString('base64'),
    keyPackets: access.keyPackets.toString('base64'),
    via: access.group,
  };
}

async function findItem(itemId: string): Promise<EncryptedItemDocument> {
  const item = mongoose.isValidObjectId(itemId) ? await EncryptedItem.findById(itemId).lean<EncryptedItemDocument>() : null;
  if (!item) throw notFound('item');
  return item;
}

/**
 * Stores an item a member sealed for their group's current epoch, after checking it is
 * ciphertext for that epoch's key and nothing else. A module that owns the item (`boundTo`) is then
 * the only way to forward it.
 */
export async function createItem(context: AuthorizeContext, input: CreateItemInput, options: { boundTo?: string } = {}): Promise<{ id: string }> {
  const { group, members } = await requireMembership(context, input.group);
  const epoch = await writableEpoch(group.id, input.epoch, members);
  const key = await currentKey(context.actor.userId);
  if (!key) throw new AppError(409, 'key-missing', 'You need a key to sign what you write.');
  await checkKeyPackets(input.keyPackets, 'keyPackets', await writerKeyIds(epoch, key));
  await checkEncryptedBody(input.body, 'body');
  const item = await EncryptedItem.create({
    group: group.id,
    epoch: epoch.epoch,
    author: context.actor.userId,
    authorFingerprint: key.fingerprint,
    body: Buffer.from(input.body),
    keyPackets: Buffer.from(input.keyPackets),
    ...(options.boundTo ? { boundTo: options.boundTo } : {}),
  });
  return { id: String(item._id) };
}

/** One item, for a member of its group or of a group it was forwarded to. */
export async function readItem(context: AuthorizeContext, itemId: string): Promise<ItemView> {
  const item = await findItem(itemId);
  return present(item, await readableKeyPackets(context, item, 'item'));
}

/** A page of a group's items, newest first, for members. */
export async function listItems(context: AuthorizeContext, groupId: string, before?: string): Promise<ItemView[]> {
  const { group } = await requireMembership(context, groupId);
  const items = await EncryptedItem.find({
    $or: [{ group: group.id }, { 'forwards.group': group.id }],
    ...(before ? { _id: mongoose.trusted({ $lt: new mongoose.Types.ObjectId(before) }) } : {}),
  })
    .sort({ _id: -1 })
    .limit(ITEMS_PAGE_SIZE)
    .lean<EncryptedItemDocument[]>();
  const views: ItemView[] = [];
  for (const item of items) views.push(present(item, await readableKeyPackets(context, item, 'item')));
  return views;
}

/** Opens an item for another group by adding key packets; the body is neither copied nor re-sent. */
export async function forwardItem(context: AuthorizeContext, itemId: string, input: ForwardInput): Promise<{ forwarded: string }> {
  return forwardSealed(context, await findItem(itemId), 'item', input, EncryptedItem);
}

/** Deletes an item no longer referenced (a draft's body replaced by a new one). */
export async function deleteItem(itemId: string): Promise<void> {
  if (mongoose.isValidObjectId(itemId)) await EncryptedItem.deleteOne({ _id: itemId }).exec();
}
