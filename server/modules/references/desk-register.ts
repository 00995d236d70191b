/**
 * What each desk holds: one document per desk (`unit:<id>`, `ilo:<agency>`, `cbi`, `abroad`)
 * listing the references waiting there with their status, priority, deadline and arrival. A
 * desk's counts are then one lookup by `_id`, and the per-minute sweep reads the desks rather
 * than every reference (both scans on the embedded database).
 *
 * A desk's entry is written after the move that puts a reference there and removed after the
 * one that takes it away: a process that stops between the two leaves an entry the sweep finds
 * stale and drops. Changes to one desk's document run one at a time in this process (FerretDB v1
 * answers an update with a separate read and write); on MongoDB each is atomic.
 */
import mongoose, { Schema } from 'mongoose';
import { nowMs } from '../../clock.js';
import { KeyedLock } from '../../shared/keyed-lock.js';
import type { ReferenceDocument } from './reference.model.js';
import { deskKeyOf, movedAtOf } from './queue-keys.js';

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
const deskSchema = new Schema({ _id: { type: String, required: true }, references: { type: Map, of: entrySchema, default: {} } }, { versionKey: false, collection: 'reference_desks' });
export const DeskDocument = mongoose.model('ReferenceDesk', deskSchema);

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

type Held = Pick<ReferenceDocument, '_id' | 'holder' | 'status' | 'priority' | 'deadline'> & { movedAt?: Date | null; updatedAt?: Date };

/** Where a reference waits: drafts stay with their author without waiting on anyone, so are not held. */
function heldAt(reference: Pick<Held, 'holder' | 'status'>): string | undefined {
  return reference.status === 'draft' ? undefined : deskKeyOf(reference.holder);
}

function entryOf(reference: Held): DeskEntry {
  return { status: reference.status, priority: reference.priority, since: movedAtOf(reference), ...(reference.deadline ? { deadline: reference.deadline } : {}) };
}

export class DeskRegister {
  readonly #locks = new KeyedLock();

  /** Records where a reference waits after a change (`before` is how it was, if it existed). */
  async record(reference: Held, before?: Pick<Held, 'holder' | 'status'>): Promise<void> {
    const id = String(reference._id);
    const now = heldAt(reference);
    const was = before ? heldAt(before) : undefined;
    if (now) await this.#change(now, { $set: { [`references.${id}`]: entryOf(reference) } }, true);
    if (was && was !== now) await this.drop(was, id);
  }

  /** Takes a reference off a desk's list. */
  drop(desk: string, referenceId: string): Promise<void> {
    return this.#change(desk, { $unset: { [`references.${referenceId}`]: 1 } }, false);
  }

  /** Notes that a reference was escalated from this desk (it is not again while it stays). */
  markEscalated(desk: string, referenceId: string): Promise<void> {
    return this.#change(desk, { $set: { [`references.${referenceId}.escalated`]: true } }, false);
  }

  async counts(desk: string | undefined): Promise<DeskCounts> {
    if (!desk) return { atDesk: 0, overdue: 0 };
    const entries = Object.values((await DeskDocument.findById(desk).lean<{ references?: Record<string, DeskEntry> }>())?.references ?? {});
    const at = nowMs();
    return { atDesk: entries.length, overdue: entries.filter((entry) => entry.deadline && entry.deadline.getTime() < at).length };
  }

  /** Every desk's entries. */
  async all(): Promise<{ desk: string; referenceId: string; entry: DeskEntry }[]> {
    const desks = await DeskDocument.find({}).lean<{ _id: string; references?: Record<string, DeskEntry> }[]>();
    return desks.flatMap((desk) => Object.entries(desk.references ?? {}).map(([referenceId, entry]) => ({ desk: desk._id, referenceId, entry })));
  }

  /** Writes every desk's list anew from the references given: for a database whose references were written before the lists were kept. */
  async rebuild(references: AsyncIterable<Held>): Promise<void> {
    const desks = new Map<string, Record<string, DeskEntry>>([['cbi', {}]]);
    for await (const reference of references) {
      const desk = heldAt(reference);
      if (!desk) continue;
      const entries = desks.get(desk) ?? {};
      entries[String(reference._id)] = entryOf(reference);
      desks.set(desk, entries);
    }
    await DeskDocument.deleteMany({});
    for (const [desk, entries] of desks) await DeskDocument.collection.insertOne({ _id: desk as never, references: entries });
  }

  #change(desk: string, update: Record<string, unknown>, upsert: boolean): Promise<void> {
    return this.#locks.run(desk, async () => {
      await DeskDocument.updateOne({ _id: desk }, update, { upsert });
    });
  }
}
