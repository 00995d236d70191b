import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { sealedFields } from '../sealed-fields.js';

const itemSchema = new Schema(
  {
    ...sealedFields,
    author: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    /** Signed-then-encrypted content: one encrypted packet, opaque to the server. */
    body: { type: Buffer, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
itemSchema.index({ group: 1, _id: -1 });
itemSchema.index({ 'forwards.group': 1 });

/** An end-to-end encrypted item (a note, a request, a report body): ciphertext only. */
export const EncryptedItem = mongoose.model('EncryptedItem', itemSchema);
export type EncryptedItemDocument = InferSchemaType<typeof itemSchema> & { _id: Types.ObjectId; createdAt: Date };
