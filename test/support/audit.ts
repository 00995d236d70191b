import { AuditRecord, type AuditRecordDocument } from '../../server/modules/audit/audit.model.js';

/** Audit records written since `sinceSeq` (exclusive) matching `filter`, oldest first. */
export async function auditSince(sinceSeq: number, filter: Record<string, unknown> = {}): Promise<AuditRecordDocument[]> {
  const records = await AuditRecord.find().sort({ seq: 1 }).lean<AuditRecordDocument[]>();
  return records.filter(
    (record) =>
      record.seq > sinceSeq &&
      Object.entries(filter).every(([path, expected]) => path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], record) === expected),
  );
}

/** The sequence number of the newest audit record (0 when empty). */
export async function lastAuditSeq(): Promise<number> {
  return (await AuditRecord.findOne().sort({ seq: -1 }).lean<AuditRecordDocument>())?.seq ?? 0;
}
