import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { handlingFields, type HandlingRecord } from '../../workflow/request-fields.js';
import { CRIME_AREAS } from '../../shared/vocabulary/crime-areas.js';
import { PRIORITIES } from '../../shared/vocabulary/priorities.js';
import { PURPOSES } from '../../shared/vocabulary/purposes.js';
import { deliveryFields } from '../../workflow/delivery-fields.js';
import { REVIEW_DECISIONS } from '../../workflow/review.js';
import { ADDRESSEE_MODES, KINDS, STATUSES } from './broadcast.schema.js';

const reviewSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
    decision: { type: String, enum: REVIEW_DECISIONS, required: true },
    comment: { type: String, maxlength: 1000, default: '' },
  },
  { _id: false },
);

const transmissionSchema = new Schema(
  {
    reference: { type: String, required: true, maxlength: 60 },
    medium: { type: String, required: true, maxlength: 20 },
    note: { type: String, maxlength: 500, default: '' },
    by: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const broadcastSchema = new Schema(
  {
    status: { type: String, enum: STATUSES, required: true, default: 'draft' },
    author: { type: Schema.Types.ObjectId, ref: 'Account', required: true },
    country: { type: String, required: true, maxlength: 60 },
    foreignNcb: { type: String, required: true, maxlength: 80 },
    reference: { type: String, required: true, maxlength: 60 },
    kind: { type: String, enum: KINDS, required: true },
    purpose: { type: String, enum: PURPOSES, required: true },
    crimeArea: { type: String, enum: CRIME_AREAS, required: true },
    priority: { type: String, enum: PRIORITIES, required: true },
    /** Asked for by the author; the deadline is fixed when it is sent. */
    requestedDeadline: { type: Date },
    deadline: { type: Date },
    ...handlingFields,
    addressees: {
      mode: { type: String, enum: ADDRESSEE_MODES, required: true },
      agencies: { type: [Schema.Types.ObjectId], default: [] },
    },
    /** The agencies it was sent to, resolved from the addressees when sent. */
    recipients: { type: [Schema.Types.ObjectId], default: [] },
    /** Addressed agencies left out when it was sent: their ILOs had no key yet. */
    leftOut: { type: [Schema.Types.ObjectId], default: [] },
    /** The sealed body (an item of the CBI desk) and the sealed attachments (files). */
    body: { type: Schema.Types.ObjectId, ref: 'EncryptedItem', required: true },
    attachments: { type: [Schema.Types.ObjectId], default: [] },
    reviews: { type: [reviewSchema], default: [] },
    sentAt: { type: Date },
    sentBy: { type: Schema.Types.ObjectId, ref: 'Account' },
    answeredAt: { type: Date },
    closedAt: { type: Date },
    transmissions: { type: [transmissionSchema], default: [] },
    terms: { type: [String], default: [] },
  },
  { timestamps: true, strict: 'throw' },
);
broadcastSchema.index({ status: 1, sentAt: -1 });
broadcastSchema.index({ terms: 1 });

/**
 * A broadcast from the CBI: plain metadata (which the server routes, counts and filters on) and a
 * reference to its sealed body and attachments, which it cannot open.
 */
export const Broadcast = mongoose.model('Broadcast', broadcastSchema);
export type BroadcastDocument = InferSchemaType<typeof broadcastSchema> &
  HandlingRecord & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  addressees: { mode: string; agencies: Types.ObjectId[] };
};

const deliverySchema = new Schema(
  {
    /** `<broadcast>:<agency>` for an agency's ILOs, `<broadcast>:<agency>:<unit>` for a unit. */
    _id: { type: String, required: true },
    broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
    ...deliveryFields,
    /** Copied from the broadcast when sent (it never changes after), so inboxes filter on one collection. */
    reference: { type: String, required: true },
    country: { type: String, required: true },
    kind: { type: String, required: true },
    crimeArea: { type: String, required: true },
    handlingCode: { type: String, required: true },
    terms: { type: [String], default: [] },
    /** Unit level: the ILO's instructions (a sealed item) and who passed it on. */
    instructions: { type: Schema.Types.ObjectId, ref: 'EncryptedItem' },
    disseminatedBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  },
  { timestamps: true, strict: 'throw', versionKey: false },
);
deliverySchema.index({ broadcast: 1, level: 1 });
deliverySchema.index({ agency: 1, level: 1, sentAt: -1 });
deliverySchema.index({ unit: 1, sentAt: -1 });

/** One addressee of a broadcast (an agency's ILOs, or a unit) and how far it has got with it. */
export const BroadcastDelivery = mongoose.model('BroadcastDelivery', deliverySchema);
export type BroadcastDeliveryDocument = InferSchemaType<typeof deliverySchema> & { _id: string; createdAt: Date };

export const agencyDeliveryId = (broadcast: string, agency: string): string => `${broadcast}:${agency}`;
export const unitDeliveryId = (broadcast: string, agency: string, unit: string): string => `${broadcast}:${agency}:${unit}`;
