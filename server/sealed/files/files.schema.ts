import { z } from 'zod';
import { base64Input, groupIdInput } from '../groups/groups.schema.js';

export const createFileSchema = z.object({
  group: groupIdInput,
  epoch: z.number().int().min(1),
  keyPackets: base64Input(8_192),
  chunkCount: z.number().int().min(2),
});
export type CreateFileInput = z.output<typeof createFileSchema>;

export const chunkIndexInput = z.coerce.number().int().min(0).max(100_000);
