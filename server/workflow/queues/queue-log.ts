/**
 * Each queue's order, kept as numbered entries read by `_id`, for one kind of request (references,
 * notice requests), in collections of its own.
 *
 * A request that moves is written at the head of every queue it is then in, as the entry
 * `<queue>#<n>` naming it and the time of the move; an entry whose request has moved since (its
 * `movedAt` differs) or is no longer in that queue is skipped when read. A page is then a few
 * dozen lookups by `_id` however many requests there are, where a query scans the collection on
 * the embedded database (FerretDB v1 answers only `_id` equality from an index). Entries are
 * written before the move they record, so a move never lacks its entry; one whose move failed is
 * skipped like any stale one.
 */
import mongoose, { Schema, type Model, type Types } from 'mongoose';
import { isDuplicateKey } from '../../db/errors.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import { movedAtOf, queueKeysOf, type Placed } from './queue-keys.js';

interface EntryDocument {
  _id: string;
  /** The request (named `reference` since the log was first kept for references). */
  reference: Types.ObjectId;
  at: Date;
}

/**
 * The number of a queue's newest entry, as a hint: written after the entries, and only once it
 * lags by {@link HEAD_LAG} (a reader steps past the lag by `_id`), so most moves write no head.
 */
interface HeadDocument {
  _id: string;
  seq: number;
}

/** The models of one kind's log: `<kind>_queue_entries` and `<kind>_queue_heads`. */
function modelsOf(kind: string): { entries: Model<EntryDocument>; heads: Model<HeadDocument> } {
  const name = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Queue`;
  const entries =
    (mongoose.models[`${name}Entry`] as Model<EntryDocument> | undefined) ??
    mongoose.model<EntryDocument>(
      `${name}Entry`,
      new Schema<EntryDocument>(
        { _id: { type: String, required: true }, reference: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
        { versionKey: false, collection: `${kind}_queue_entries` },
      ),
    );
  const heads =
    (mongoose.models[`${name}Head`] as Model<HeadDocument> | undefined) ??
    mongoose.model<HeadDocument>(`${name}Head`, new Schema<HeadDocument>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false, collection: `${kind}_queue_heads` }));
  return { entries, heads };
}

export interface LogEntry {
  readonly seq: number;
  readonly request: Types.ObjectId;
  readonly at: Date;
}

const entryId = (key: string, seq: number): string => `${key}#${seq}`;
/** How many entries a read asks for at once (in parallel, each by `_id`). */
const BATCH = 25;
/** How far a stored head may lag before it is written again. */
const HEAD_LAG = 16;

/** What a rebuild needs of each request. */
type Rebuilt = Placed & { _id: Types.ObjectId; movedAt?: Date | null; updatedAt?: Date };

/** One request to write at the head of some queues. */
export interface Arrival {
  readonly keys: readonly string[];
  readonly request: Types.ObjectId;
  readonly at: Date;
}

/** Appends run one at a time in this process, per kind: each numbers its entries from the heads it knows. */
const appending = new KeyedLock();
/** The newest number this process knows of each queue (it writes most of them), and the stored one, by `<kind>/<queue>`. */
const knownHeads = new Map<string, { seq: number; stored: number }>();

export class QueueLog {
  readonly #entries: Model<EntryDocument>;
  readonly #heads: Model<HeadDocument>;

  /** The log of one kind of request (`reference`, `notice`): its collections are named after it. */
  constructor(private readonly kind: string) {
    const models = modelsOf(kind);
    this.#entries = models.entries;
    this.#heads = models.heads;
  }

  /** Whether nothing has been logged yet (a database written before the log was kept). */
  async isEmpty(): Promise<boolean> {
    return !(await this.#entries.exists({}));
  }

  /** Writes each request at the head of its queues, in the order given: one insert, whatever the queues. */
  append(arrivals: readonly Arrival[]): Promise<void> {
    return appending.run(this.kind, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const next = new Map<string, { seq: number; stored: number }>();
        const entries: { _id: string; reference: Types.ObjectId; at: Date }[] = [];
        for (const arrival of arrivals) {
          for (const key of arrival.keys) {
            const head = next.get(key) ?? knownHeads.get(this.#known(key)) ?? { seq: await this.head(key), stored: 0 };
            next.set(key, { ...head, seq: head.seq + 1 });
            entries.push({ _id: entryId(key, head.seq + 1), reference: arrival.request, at: arrival.at });
          }
        }
        try {
          if (entries.length > 0) await this.#entries.collection.insertMany(entries as never[], { ordered: true });
        } catch (error) {
          // Another process took a number meanwhile (several processes on MongoDB): look again.
          for (const key of next.keys()) knownHeads.delete(this.#known(key));
          if (!isDuplicateKey(error) || attempt >= 5) throw error;
          continue;
        }
        for (const [key, head] of next) {
          const lagging = head.seq - head.stored >= HEAD_LAG;
          knownHeads.set(this.#known(key), { seq: head.seq, stored: lagging ? head.seq : head.stored });
          if (lagging) await this.#heads.updateOne({ _id: key }, { $max: { seq: head.seq } }, { upsert: true });
        }
        return;
      }
    });
  }

  /** The number of a queue's newest entry (0 while it has none), as stored. */
  async head(key: string): Promise<number> {
    const stored = await this.#heads.findById(key).lean<{ seq: number }>();
    let seq = stored?.seq ?? 0;
    // The stored number lags (see HEAD_LAG).
    while (await this.#entries.exists({ _id: entryId(key, seq + 1) })) seq += 1;
    return seq;
  }

  /** A queue's entries from number `below` (exclusive; the head when absent) down to the first, newest first, a batch at a time. */
  async *newestFirst(key: string, below?: number): AsyncGenerator<LogEntry[]> {
    let top = below === undefined ? (knownHeads.get(this.#known(key))?.seq ?? (await this.head(key))) : below - 1;
    while (top > 0) {
      const seqs = Array.from({ length: Math.min(BATCH, top) }, (_, offset) => top - offset);
      const found = await Promise.all(seqs.map((seq) => this.#entries.findById(entryId(key, seq)).lean<{ reference: Types.ObjectId; at: Date }>()));
      yield found.flatMap((entry, index) => (entry ? [{ seq: seqs[index]!, request: entry.reference, at: entry.at }] : []));
      top -= seqs.length;
    }
  }

  /**
   * Writes every queue anew from the requests given (in the order they moved, oldest first): for a
   * database whose requests were written before the log was kept.
   */
  rebuild(requests: AsyncIterable<Rebuilt>): Promise<number> {
    return appending.run(this.kind, () => this.#rebuild(requests));
  }

  #known(key: string): string {
    return `${this.kind}/${key}`;
  }

  async #rebuild(requests: AsyncIterable<Rebuilt>): Promise<number> {
    await Promise.all([this.#entries.deleteMany({}), this.#heads.deleteMany({})]);
    for (const key of [...knownHeads.keys()].filter((known) => known.startsWith(`${this.kind}/`))) knownHeads.delete(key);
    const heads = new Map<string, number>();
    let batch: { _id: string; reference: Types.ObjectId; at: Date }[] = [];
    let written = 0;
    for await (const request of requests) {
      for (const key of queueKeysOf(request)) {
        const seq = (heads.get(key) ?? 0) + 1;
        heads.set(key, seq);
        batch.push({ _id: entryId(key, seq), reference: request._id, at: movedAtOf(request) });
      }
      if (batch.length >= 1_000) {
        await this.#entries.collection.insertMany(batch as never[], { ordered: false });
        written += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await this.#entries.collection.insertMany(batch as never[], { ordered: false });
    written += batch.length;
    const numbers = [...heads].map(([key, seq]) => ({ _id: key, seq }));
    for (let start = 0; start < numbers.length; start += 1_000) await this.#heads.collection.insertMany(numbers.slice(start, start + 1_000) as never[], { ordered: false });
    return written;
  }
}
