import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../../access/audit-event.js';

const emptyToUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

export const auditQuery = z.object({
  action: z.preprocess(emptyToUndefined, z.string().trim().regex(/^[a-z.-]{1,80}$/, 'Use an action name such as auth.sign-in.').optional()),
  username: z.preprocess(emptyToUndefined, z.string().trim().toLowerCase().max(64).optional()),
  outcome: z.preprocess(emptyToUndefined, z.enum(AUDIT_OUTCOMES).optional()),
  from: z.preprocess(emptyToUndefined, z.coerce.date().optional()),
  to: z.preprocess(emptyToUndefined, z.coerce.date().optional()),
  /** Show records before this sequence number (the next page). */
  before: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).optional()),
});
export type AuditQuery = z.output<typeof auditQuery>;
