/**
 * Each queue's order, kept as numbered entries read by `_id`.
 *
 * A reference that moves is written at the head of every queue it is then in, as the entry
 * `<queue>#<n>` naming it and the time of the move; an entry whose reference has moved since (its
 * `movedAt` differs) or is no longer in that queue is skipped when read. A page is then a few
 * dozen lookups by `_id` however many references there are, where a query scans the collection on
 * the embedded database (FerretDB v1 answers only `_id` equality from an index). Entries are
 * written before the move they record, so a move never lacks its entry; one whose move failed is
 * skipped like any stale one.
 */
import mongoose, { Schema, type Types } from 'mongoose';
import { isDuplicateKey } from '../../db/errors.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import type { ReferenceDocument } from './reference.model.js';
import { movedAtOf, queueKeysOf } from './queue-keys.js';

const entrySchema = new Schema(
  {
    _id: { type: String, required: true },
    reference: { type: Schema.Types.ObjectId, ref: 'Reference', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'reference_queue_entries' },
);
export const QueueEntry = mongoose.model('ReferenceQueueEntry', entrySchema);

/**
 * The number of a queue's newest entry, as a hint: written after the entries, and only once it
 * lags by {@link HEAD_LAG} (a reader steps past the lag by `_id`), so most moves write no head.
 */
const headSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false, collection: 'reference_queue_heads' });
export const QueueHead = mongoose.model('ReferenceQueueHead', headSchema);

export interface LogEntry {
  readonly seq: number;
  readonly reference: Types.ObjectId;
  readonly at: Date;
}

const entryId = (key: string, seq: number): string => `${key}#${seq}`;
/** How many entries a read asks for at once (in parallel, each by `_id`). */
const BATCH = 25;
/** How far a stored head may lag before it is written again. */
const HEAD_LAG = 16;

/** What a rebuild needs of each reference. */
type Rebuilt = Pick<ReferenceDocument, '_id' | 'movedAt' | 'updatedAt' | 'holder' | 'originDesk' | 'agency' | 'unit' | 'reached'>;

/** One reference to write at the head of some queues. */
export interface Arrival {
  readonly keys: readonly string[];
  readonly reference: Types.ObjectId;
  readonly at: Date;
}

/** Appends run one at a time in this process: each numbers its entries from the heads it knows. */
const appending = new KeyedLock();
/** The newest number this process knows of each queue (it writes most of them), and the stored one. */
const knownHeads = new Map<string, { seq: number; stored: number }>();

export class QueueLog {
  /** Writes each reference at the head of its queues, in the order given: one insert, whatever the queues. */
  append(arrivals: readonly Arrival[]): Promise<void> {
    return appending.run('append', async () => {
      for (let attempt = 1; ; attempt += 1) {
        const next = new Map<string, { seq: number; stored: number }>();
        const entries: { _id: string; reference: Types.ObjectId; at: Date }[] = [];
        for (const arrival of arrivals) {
          for (const key of arrival.keys) {
            const head = next.get(key) ?? knownHeads.get(key) ?? { seq: await this.head(key), stored: 0 };
            next.set(key, { ...head, seq: head.seq + 1 });
            entries.push({ _id: entryId(key, head.seq + 1), reference: arrival.reference, at: arrival.at });
          }
        }
        try {
          if (entries.length > 0) await QueueEntry.collection.insertMany(entries as never[], { ordered: true });
        } catch (error) {
          // Another process took a number meanwhile (several processes on MongoDB): look again.
          for (const key of next.keys()) knownHeads.delete(key);
          if (!isDuplicateKey(error) || attempt >= 5) throw error;
          continue;
        }
        for (const [key, head] of next) {
          const lagging = head.seq - head.stored >= HEAD_LAG;
          knownHeads.set(key, { seq: head.seq, stored: lagging ? head.seq : head.stored });
          if (lagging) await QueueHead.updateOne({ _id: key }, { $max: { seq: head.seq } }, { upsert: true });
        }
        return;
      }
    });
  }

  /** The number of a queue's newest entry (0 while it has none), as stored. */
  async head(key: string): Promise<number> {
    const stored = await QueueHead.findById(key).lean<{ seq: number }>();
    let seq = stored?.seq ?? 0;
    // The stored number lags (see HEAD_LAG).
    while (await QueueEntry.exists({ _id: entryId(key, seq + 1) })) seq += 1;
    return seq;
  }

  /** A queue's entries from number `below` (exclusive; the head when absent) down to the first, newest first, a batch at a time. */
  async *newestFirst(key: string, below?: number): AsyncGenerator<LogEntry[]> {
    let top = below === undefined ? (knownHeads.get(key)?.seq ?? (await this.head(key))) : below - 1;
    while (top > 0) {
      const seqs = Array.from({ length: Math.min(BATCH, top) }, (_, offset) => top - offset);
      const found = await Promise.all(seqs.map((seq) => QueueEntry.findById(entryId(key, seq)).lean<{ reference: Types.ObjectId; at: Date }>()));
      yield found.flatMap((entry, index) => (entry ? [{ seq: seqs[index]!, reference: entry.reference, at: entry.at }] : []));
      top -= seqs.length;
    }
  }

  /**
   * Writes every queue anew from the references given (in the order they moved, oldest first):
   * for a database whose references were written before the log was kept.
   */
  rebuild(references: AsyncIterable<Rebuilt>): Promise<number> {
    return appending.run('append', () => this.#rebuild(references));
  }

  async #rebuild(references: AsyncIterable<Rebuilt>): Promise<number> {
    await Promise.all([QueueEntry.deleteMany({}), QueueHead.deleteMany({})]);
    knownHeads.clear();
    const heads = new Map<string, number>();
    let batch: { _id: string; reference: Types.ObjectId; at: Date }[] = [];
    let written = 0;
    for await (const reference of references) {
      for (const key of queueKeysOf(reference)) {
        const seq = (heads.get(key) ?? 0) + 1;
        heads.set(key, seq);
        batch.push({ _id: entryId(key, seq), reference: reference._id, at: movedAtOf(reference) });
      }
      if (batch.length >= 1_000) {
        await QueueEntry.collection.insertMany(batch as never[], { ordered: false });
        written += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await QueueEntry.collection.insertMany(batch as never[], { ordered: false });
    written += batch.length;
    const numbers = [...heads].map(([key, seq]) => ({ _id: key, seq }));
    for (let start = 0; start < numbers.length; start += 1_000) await QueueHead.collection.insertMany(numbers.slice(start, start + 1_000) as never[], { ordered: false });
    return written;
  }
}
