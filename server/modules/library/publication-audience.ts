import { Schema } from 'mongoose';
import { ROLES } from '../../access/roles.js';

/**
 * Who a publication is for (roles and agencies; none of either means everyone), as stored: shared
 * by library items and training sessions, which the access policy treats alike.
 */
export const audienceModelSchema = new Schema(
  {
    roles: { type: [{ type: String, enum: ROLES }], default: [] },
    agencies: { type: [String], default: [] },
  },
  { _id: false, strict: 'throw' },
);
