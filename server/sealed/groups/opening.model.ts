import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const openingSchema = new Schema(
  {
    /** `<kind>:<record>:<group>`: found by id, which is all FerretDB answers from an index. */
    _id: { type: String, required: true },
    kind: { type: String, enum: ['item', 'file'], required: true },
    record: { type: Schema.Types.ObjectId, required: true },
    group: { type: String, required: true, maxlength: 80 },
    epoch: { type: Number, required: true },
    keyPackets: { type: Buffer, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
openingSchema.index({ record: 1 });

/**
 * Key packets that open a sealed item or file for one more group, kept beside the record rather
 * than inside it: a broadcast's body is opened for every agency and hundreds of units, and a
 * record carrying them all would be read whole (slowly, on FerretDB) by each of its readers. A
 * reader's opening is found by id from the groups the hierarchy puts them in.
 */
export const SealedOpening = mongoose.model('SealedOpening', openingSchema);
export type SealedOpeningDocument = InferSchemaType<typeof openingSchema>;

export const openingId = (kind: 'item' | 'file', record: string, group: string): string => `${kind}:${record}:${group}`;
