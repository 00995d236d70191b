import { z } from 'zod';
import { ROLES } from '../../access/roles.js';
import { objectIdInput } from '../../validation.js';

const emptyToUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

export const directoryQuery = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(80).optional()),
  agencyId: z.preprocess(emptyToUndefined, objectIdInput.optional()),
  role: z.preprocess(emptyToUndefined, z.enum(ROLES).optional()),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(500).default(1)),
});
export type DirectoryQuery = z.output<typeof directoryQuery>;
