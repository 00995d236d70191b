import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { AGENCY_TYPES } from '../../access/roles.js';

const agencySchema = new Schema(
  {
    /** Short code officers use, such as MHPOL or NIA; upper case. */
    code: { type: String, required: true, unique: true, match: /^[A-Z0-9-]{2,16}$/ },
    name: { type: String, required: true, maxlength: 120 },
    type: { type: String, required: true, enum: AGENCY_TYPES },
    /** State or union territory served (state and UT police). */
    region: { type: String, maxlength: 80 },
    active: { type: Boolean, required: true, default: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  },
  { timestamps: true, strict: 'throw' },
);
agencySchema.index({ type: 1, name: 1 });

/** A law-enforcement agency connected to the CBI, or the CBI itself (type `ncb`). */
export const Agency = mongoose.model('Agency', agencySchema);
export type AgencyDocument = InferSchemaType<typeof agencySchema> & { _id: Types.ObjectId };

export const UNIT_KINDS = ['district', 'commissionerate', 'branch', 'zonal-office', 'headquarters'] as const;

const unitSchema = new Schema(
  {
    agency: { type: Schema.Types.ObjectId, ref: 'Agency', required: true },
    /** Code unique within the portal, such as MHPOL-PUNE-CITY. */
    code: { type: String, required: true, unique: true, match: /^[A-Z0-9-]{2,40}$/ },
    name: { type: String, required: true, maxlength: 120 },
    kind: { type: String, required: true, enum: UNIT_KINDS },
    city: { type: String, maxlength: 80 },
    active: { type: Boolean, required: true, default: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'Account' },
  },
  { timestamps: true, strict: 'throw' },
);
unitSchema.index({ agency: 1, name: 1 });

/** A unit office of an agency: a district, commissionerate, branch or zonal office. */
export const Unit = mongoose.model('Unit', unitSchema);
export type UnitDocument = InferSchemaType<typeof unitSchema> & { _id: Types.ObjectId };
