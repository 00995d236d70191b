import { z } from 'zod';
import { base64Input, groupIdInput } from '../groups/groups.schema.js';

/** Largest encrypted item body; files go through chunked uploads instead. */
export const MAX_ITEM_BYTES = 256 * 1024;

export const createItemSchema = z.object({
  group: groupIdInput,
  epoch: z.number().int().min(1),
  body: base64Input(MAX_ITEM_BYTES),
  keyPackets: base64Input(8_192),
});
export type CreateItemInput = z.output<typeof createItemSchema>;

export const forwardSchema = z.object({
  group: groupIdInput,
  epoch: z.number().int().min(1),
  keyPackets: base64Input(8_192),
});
export type ForwardInput = z.output<typeof forwardSchema>;

export const listItemsQuery = z.object({
  group: groupIdInput,
  before: z.string().regex(/^[a-f0-9]{24}$/).optional(),
});
