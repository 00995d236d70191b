import mongoose from 'mongoose';
import type { AuditEvent, AuditSink } from '../../access/audit-event.js';
import { authorize, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { isDuplicateKey } from '../../db/errors.js';
import type { Logger } from '../../logger.js';
import { GENESIS_HASH, hashRecord } from './audit.chain.js';
import { AuditRecord, type AuditRecordDocument } from './audit.model.js';
import type { AuditQuery } from './audit.schema.js';

const MAX_ATTEMPTS = 20;
/** Most events written in one insert. */
const MAX_BATCH = 500;

interface Pending {
  readonly event: AuditEvent;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends events to the hash-chained audit log. Appends from this process are serialised and
 * written in batches (group commit: everything recorded while one insert is under way goes into
 * the next, so a burst of hundreds of events costs a few writes, not hundreds); each caller's
 * promise resolves once its record is stored. Appends from other processes are ordered by the
 * unique `seq` index (a writer that loses the race reads the new head and chains the rest of its
 * batch after it), so the chain never forks.
 */
export class AuditLog implements AuditSink {
  #pending: Pending[] = [];
  #writing = false;
  /**
   * The last record this process appended, so that appending does not read the head of the
   * chain every time (on FerretDB that read sorts the whole log). Another process appending
   * meanwhile makes our insert collide on `seq`, which re-reads it.
   */
  #head: ChainHead | null | undefined;

  constructor(private readonly logger: Logger) {}

  /** Records `event` and resolves once it is stored. */
  record(event: AuditEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, MAX_BATCH);
        try {
          await this.#append(batch.map((entry) => entry.event));
          for (const entry of batch) entry.resolve();
        } catch (error) {
          for (const entry of batch) entry.reject(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  async #append(events: readonly AuditEvent[]): Promise<void> {
    let remaining = events;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt += 1) {
      const head = (this.#head ??= await AuditRecord.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<ChainHead>());
      const records = chained(head, remaining);
      this.#head = undefined;
      let stored = records.length;
      try {
        await AuditRecord.collection.insertMany(records, { ordered: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        stored = (error as { insertedCount?: number }).insertedCount ?? 0;
      }
      for (const record of records.slice(0, stored)) {
        // The chain head also goes to the log stream, a witness outside the database: removing
        // records from the end of the chain (which the chain alone cannot show) leaves a gap there.
        this.logger.info({ audit: { action: record.action, outcome: record.outcome, seq: record.seq, hash: record.hash } }, 'audit');
      }
      if (stored === records.length) this.#head = records.at(-1);
      remaining = remaining.slice(stored);
    }
    if (remaining.length > 0) throw new Error('audit log: could not append after repeated contention');
  }
}

/** Records for `events`, each linked to the one before, the first to `head`. */
function chained(head: ChainHead | null, events: readonly AuditEvent[]): (Omit<AuditRecordDocument, '_id'> & ChainHead)[] {
  let previous = head;
  return events.map((event) => {
    const actor = event.actor
      ? 'userId' in event.actor
        ? { userId: event.actor.userId, username: event.actor.username, role: event.actor.role, agencyId: event.actor.agencyId }
        : { username: event.actor.username }
      : undefined;
    const fields = {
      seq: (previous?.seq ?? 0) + 1,
      at: now(),
      action: event.action,
      outcome: event.outcome,
      actor,
      target: event.target ? { ...event.target } : undefined,
      ip: event.origin?.ip,
      userAgent: event.origin?.userAgent?.slice(0, 300),
      details: event.details,
      prevHash: previous?.hash ?? GENESIS_HASH,
    };
    const record = { ...stripUndefined(fields), hash: hashRecord(fields) };
    previous = record;
    return record;
  });
}

interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/** The outcome of checking the chain. */
export type ChainVerdict =
  | { intact: true; records: number }
  | { intact: false; records: number; firstBroken: { seq: number; id: string; reason: string } };

/**
 * Walks the whole log in order and recomputes every hash; names the first record whose hash, link
 * to its predecessor, or position does not hold (edited, deleted or inserted records).
 */
export async function verifyAuditChain(): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let records = 0;
  const cursor = AuditRecord.find().sort({ seq: 1 }).lean<AuditRecordDocument[]>().cursor({ batchSize: 500 });
  for await (const record of cursor as AsyncIterable<AuditRecordDocument>) {
    records += 1;
    const broken = (reason: string): ChainVerdict => ({
      intact: false,
      records,
      firstBroken: { seq: record.seq, id: String(record._id), reason },
    });
    if (record.seq !== expectedSeq) return broken(`expected record ${expectedSeq} here: records are missing or inserted`);
    if (record.prevHash !== prevHash) return broken('its link to the previous record does not match');
    if (hashRecord(record) !== record.hash) return broken('its content does not match its hash: it was altered');
    prevHash = record.hash;
    expectedSeq += 1;
  }
  return { intact: true, records };
}

/** Records per page on the audit page. */
export const AUDIT_PAGE_SIZE = 50;

/** An audit record as auditors see it. */
export interface AuditRecordView {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly outcome: string;
  readonly actor: string;
  readonly role: string;
  readonly target: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly details: string;
}

/** A page of the audit log, newest first, filtered; `nextBefore` continues to older records. */
export async function listAuditRecords(
  context: AuthorizeContext,
  query: AuditQuery,
): Promise<{ records: AuditRecordView[]; nextBefore: number | undefined }> {
  await authorize(context, 'audit:read');
  const at =
    query.from || query.to
      ? { at: mongoose.trusted({ ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) }) }
      : {};
  const filter = {
    ...(query.action ? { action: query.action } : {}),
    ...(query.username ? { 'actor.username': query.username } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.before ? { seq: mongoose.trusted({ $lt: query.before }) } : {}),
    ...at,
  };
  const records = await AuditRecord.find(filter).sort({ seq: -1 }).limit(AUDIT_PAGE_SIZE + 1).lean<AuditRecordDocument[]>();
  const page = records.slice(0, AUDIT_PAGE_SIZE);
  return {
    records: page.map((record) => ({
      seq: record.seq,
      at: record.at.toISOString(),
      action: record.action,
      outcome: record.outcome,
      actor: record.actor?.username ?? '',
      role: record.actor?.role ?? '',
      target: [record.target?.type, record.target?.label ?? record.target?.id].filter(Boolean).join(' '),
      ip: record.ip ?? '',
      userAgent: record.userAgent ?? '',
      details: record.details ? JSON.stringify(record.details) : '',
    })),
    nextBefore: records.length > AUDIT_PAGE_SIZE ? page[page.length - 1]?.seq : undefined,
  };
}
