import { createHash } from 'node:crypto';

/** The hash before the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a record that its hash covers (all but the hash itself and the database id). */
export interface ChainedFields {
  seq: number;
  at: Date;
  action: string;
  outcome: string;
  actor?: Record<string, unknown> | null | undefined;
  target?: Record<string, unknown> | null | undefined;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  details?: unknown;
  prevHash: string;
}

/** JSON with object keys sorted and absent values dropped, so that equal records hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined && item !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the canonical form of a record's fields, including the previous record's hash. */
export function hashRecord(fields: ChainedFields): string {
  const { seq, at, action, outcome, actor, target, ip, userAgent, details, prevHash } = fields;
  const canonical = canonicalJson({ seq, at, action, outcome, actor, target, ip, userAgent, details, prevHash });
  return createHash('sha256').update(canonical).digest('hex');
}
