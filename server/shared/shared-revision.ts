import mongoose, { Schema } from 'mongoose';

const revisionSchema = new Schema(
  {
    /** What the counter stands for: `accounts`, `channels`. */
    _id: { type: String, required: true },
    n: { type: Number, required: true, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);

const modelOn = (connection: mongoose.Connection) => connection.models['Revision'] ?? connection.model('Revision', revisionSchema);

/**
 * A counter every process sees through the database, moved on after a change to something the
 * processes keep in memory (the account index, the channel list). Reading it is one lookup by _id,
 * where reading what it stands for may be a scan of thousands of documents (on FerretDB v1 every
 * query but one by _id is): caches read it every few seconds and re-read their data only when it
 * has moved.
 */
export class SharedRevision {
  readonly #revisions: mongoose.Model<{ _id: string; n: number }>;

  constructor(
    readonly name: string,
    /** The database it lives in: the portal's (tests may give another). */
    connection: mongoose.Connection = mongoose.connection,
  ) {
    this.#revisions = modelOn(connection) as mongoose.Model<{ _id: string; n: number }>;
  }

  /** The counter now (0 before the first change). */
  async read(): Promise<number> {
    const revision = await this.#revisions.findById(this.name, { n: 1 }).lean<{ n: number }>();
    return revision?.n ?? 0;
  }

  /** Moves the counter on; call it after the change is stored. */
  async bump(): Promise<void> {
    try {
      await this.#revisions.updateOne({ _id: this.name }, { $inc: { n: 1 } }, { upsert: true });
    } catch (error) {
      // Bumped twice at once before the counter existed: one upsert inserted it and the other
      // met its key. The counter is there now, so this bump moves it on like any other.
      if ((error as { code?: unknown }).code !== 11000) throw error;
      await this.#revisions.updateOne({ _id: this.name }, { $inc: { n: 1 } });
    }
  }
}
