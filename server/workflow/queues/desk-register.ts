/**
 * What each desk holds, for one kind of request (references, notice requests): one document per
 * desk (`unit:<id>`, `ilo:<agency>`, `cbi`, `abroad`, `gs`) listing the requests waiting there with
 * their status, priority, deadline and arrival. A desk's counts are then one lookup by `_id`, and
 * the per-minute sweep reads the desks rather than every request (both scans on the embedded
 * database).
 *
 * A desk's entry is written after the move that puts a request there and removed after the one
 * that takes it away: a process that stops between the two leaves an entry the sweep finds
 * stale and drops. Changes to one desk's document run one at a time in this process (FerretDB v1
 * answers an update with a separate read and write); on MongoDB each is atomic.
 */
import mongoose, { Schema, type Model, type Types } from 'mongoose';
import { nowMs } from '../../clock.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import { deskKeyOf, movedAtOf, type Placed } from './queue-keys.js';

const entrySchema = new Schema(
  {
    status: { type: String, required: true },
    priority: { type: String, required: true },
    deadline: { type: Date },
    since: { type: Date, required: true },
    /** Set once the sweep has escalated it from this desk. */
    escalated: { type: Boolean },
  },
  { _id: false },
);

/** A desk's document: its requests by id (the field is `references`, as the register was first kept for them). */
interface DeskDocument {
  _id: string;
  references?: Record<string, DeskEntry>;
}

/** The model of one kind's register: `<kind>_desks`. */
function modelOf(kind: string): Model<DeskDocument> {
  const name = `${kind.charAt(0).toUpperCase()}${kind.slice(1)}Desk`;
  return (
    (mongoose.models[name] as Model<DeskDocument> | undefined) ??
    mongoose.model<DeskDocument>(name, new Schema({ _id: { type: String, required: true }, references: { type: Map, of: entrySchema, default: {} } }, { versionKey: false, collection: `${kind}_desks` }))
  );
}

export interface DeskEntry {
  readonly status: string;
  readonly priority: string;
  readonly deadline?: Date | null;
  readonly since: Date;
  readonly escalated?: boolean | null;
}

/** What a desk has waiting, and how much of it is past its deadline. */
export interface DeskCounts {
  readonly atDesk: number;
  readonly overdue: number;
}

type Held = Pick<Placed, 'holder'> & { _id: Types.ObjectId; status: string; priority: string; deadline?: Date | null; movedAt?: Date | null; updatedAt?: Date };

/** Where a request waits: drafts stay with their author without waiting on anyone, so are not held. */
function heldAt(reference: Pick<Held, 'holder' | 'status'>): string | undefined {
  return reference.status === 'draft' ? undefined : deskKeyOf(reference.holder);
}

function entryOf(reference: Held): DeskEntry {
  return { status: reference.status, priority: reference.priority, since: movedAtOf(reference), ...(reference.deadline ? { deadline: reference.deadline } : {}) };
}

export class DeskRegister {
  readonly #locks = new KeyedLock();
  readonly #desks: Model<DeskDocument>;

  /** The register of one kind of request (`reference`, `notice`): its collection is named after it. */
  constructor(kind: string) {
    this.#desks = modelOf(kind);
  }

  /** Whether nothing is registered yet (a database written before the register was kept). */
  async isEmpty(): Promise<boolean> {
    return !(await this.#desks.exists({}));
  }

  /** Records where a request waits after a change (`before` is how it was, if it existed). */
  async record(request: Held, before?: Pick<Held, 'holder' | 'status'>): Promise<void> {
    const id = String(request._id);
    const now = heldAt(request);
    const was = before ? heldAt(before) : undefined;
    if (now) await this.#change(now, { $set: { [`references.${id}`]: entryOf(request) } }, true);
    if (was && was !== now) await this.drop(was, id);
  }

  /** Takes a request off a desk's list. */
  drop(desk: string, requestId: string): Promise<void> {
    return this.#change(desk, { $unset: { [`references.${requestId}`]: 1 } }, false);
  }

  /** Notes that a request was escalated from this desk (it is not again while it stays). */
  markEscalated(desk: string, requestId: string): Promise<void> {
    return this.#change(desk, { $set: { [`references.${requestId}.escalated`]: true } }, false);
  }

  async counts(desk: string | undefined): Promise<DeskCounts> {
    if (!desk) return { atDesk: 0, overdue: 0 };
    const entries = Object.values((await this.#desks.findById(desk).lean<DeskDocument>())?.references ?? {});
    const at = nowMs();
    return { atDesk: entries.length, overdue: entries.filter((entry) => entry.deadline && entry.deadline.getTime() < at).length };
  }

  /** Every desk's entries. */
  async all(): Promise<{ desk: string; requestId: string; entry: DeskEntry }[]> {
    const desks = await this.#desks.find({}).lean<DeskDocument[]>();
    return desks.flatMap((desk) => Object.entries(desk.references ?? {}).map(([requestId, entry]) => ({ desk: desk._id, requestId, entry })));
  }

  /** Writes every desk's list anew from the requests given: for a database whose requests were written before the lists were kept. */
  async rebuild(requests: AsyncIterable<Held>): Promise<void> {
    const desks = new Map<string, Record<string, DeskEntry>>([['cbi', {}]]);
    for await (const request of requests) {
      const desk = heldAt(request);
      if (!desk) continue;
      const entries = desks.get(desk) ?? {};
      entries[String(request._id)] = entryOf(request);
      desks.set(desk, entries);
    }
    await this.#desks.deleteMany({});
    for (const [desk, entries] of desks) await this.#desks.collection.insertOne({ _id: desk as never, references: entries });
  }

  #change(desk: string, update: Record<string, unknown>, upsert: boolean): Promise<void> {
    return this.#locks.run(desk, async () => {
      await this.#desks.updateOne({ _id: desk }, update, { upsert });
    });
  }
}
