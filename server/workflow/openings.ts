import mongoose, { type Types } from 'mongoose';
import { z } from 'zod';
import type { AuthorizeContext } from '../access/authorize.js';
import { checkKeyPackets } from '../crypto/packets.js';
import { AppError, badRequest } from '../errors.js';
import { base64Input } from '../sealed/groups/groups.schema.js';
import { epochKeyIds, latestEpoch, type GroupEpochDocument } from '../sealed/groups/groups.service.js';
import { addOpenings } from '../sealed/groups/sealed-access.js';

/**
 * Key packets that open a request's sealed body and attachments for one more group (the
 * addressee's current key), written by the sender's browser: the server checks them, never
 * reads what they open.
 */
export const openingInput = z.object({
  epoch: z.number().int().min(1),
  body: base64Input(8_192),
  attachments: z.record(z.string().regex(/^[a-f0-9]{24}$/), base64Input(8_192)).default({}),
});
export type Opening = z.output<typeof openingInput>;

/** Key packets checked for a group's current key, ready to be added. */
export interface CheckedOpening {
  readonly group: string;
  readonly epoch: number;
  readonly keyIds: Set<string>;
  readonly body: Buffer;
  readonly attachments: Map<string, Buffer>;
}

/**
 * Checks that an opening is for the group's current epoch key and covers the body and every
 * attachment, and nothing else. `known` holds epochs already read for many groups at once.
 */
export async function checkOpening(
  group: string,
  opening: Opening,
  attachments: readonly string[],
  label: string,
  known?: ReadonlyMap<string, GroupEpochDocument>,
): Promise<CheckedOpening> {
  const epoch = known ? known.get(group) : await latestEpoch(group);
  if (!epoch) throw new AppError(409, 'group-key-missing', `${label} has no key yet: none of its officers has signed in to the portal yet. The first who does (on any page) makes the key.`);
  if (epoch.epoch !== opening.epoch) throw new AppError(409, 'epoch-stale', `The key of ${label} changed: open it for epoch ${epoch.epoch}.`);
  const keyIds = await epochKeyIds(epoch);
  await checkKeyPackets(opening.body, 'body', keyIds);
  const files = new Map<string, Buffer>();
  for (const fileId of attachments) {
    const packets = opening.attachments[fileId];
    if (!packets) throw badRequest(`Open every attachment for ${label}.`, [{ field: 'attachments', message: `missing ${fileId}` }]);
    await checkKeyPackets(packets, 'attachments', keyIds);
    files.set(fileId, Buffer.from(packets));
  }
  if (Object.keys(opening.attachments).some((fileId) => !attachments.includes(fileId))) {
    throw badRequest('Key packets were sent for a file that is not attached.', [{ field: 'attachments', message: 'unknown file' }]);
  }
  return { group, epoch: epoch.epoch, keyIds, body: Buffer.from(opening.body), attachments: files };
}

/** A sealed record opened for one more group. */
export type ExtraOpening = Parameters<typeof addOpenings>[0][number];

/**
 * Opens a request's body and its attachments (and `more`, per group) for more groups, in one
 * write, once every opening has passed its checks.
 */
export async function openForGroups<T extends CheckedOpening>(
  context: AuthorizeContext,
  body: Types.ObjectId,
  attachments: readonly string[],
  forwards: readonly T[],
  at: Date,
  more: (forward: T) => ExtraOpening[] = () => [],
): Promise<void> {
  const openings = forwards.flatMap((forward) => [
    { kind: 'item' as const, record: body, group: forward.group, epoch: forward.epoch, keyPackets: forward.body },
    ...attachments.map((fileId) => ({
      kind: 'file' as const,
      record: new mongoose.Types.ObjectId(fileId),
      group: forward.group,
      epoch: forward.epoch,
      keyPackets: forward.attachments.get(fileId)!,
    })),
    ...more(forward),
  ]);
  await addOpenings(openings, context.actor.userId, at);
}
