import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/** Key packets that open a sealed thing for another group (forwarding), without a copy of its body. */
export const forwardSchema = new Schema(
  {
    group: { type: String, required: true, maxlength: 80 },
    epoch: { type: Number, required: true },
    keyPackets: { type: Buffer, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const itemSchema = new Schema(
  {
    group: { type: String, required: true, maxlength: 80 },
    epoch: { type: Number, required: true },
    author: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    /** The author's key at the time of writing, to verify the signature inside the body. */
    authorFingerprint: { type: String, required: true },
    /** Signed-then-encrypted content: one encrypted packet, opaque to the server. */
    body: { type: Buffer, required: true },
    /** Session key wrapped for the group's epoch key. */
    keyPackets: { type: Buffer, required: true },
    forwards: { type: [forwardSchema], default: [] },
    /** Set when a module owns the item (a broadcast's body): it is then forwarded only through that module. */
    boundTo: { type: String, maxlength: 80 },
  },
  { timestamps: true, strict: 'throw' },
);
itemSchema.index({ group: 1, _id: -1 });
itemSchema.index({ 'forwards.group': 1 });

/** An end-to-end encrypted item (a note, a request, a report body): ciphertext only. */
export const EncryptedItem = mongoose.model('EncryptedItem', itemSchema);
export type EncryptedItemDocument = InferSchemaType<typeof itemSchema> & { _id: Types.ObjectId; createdAt: Date };
