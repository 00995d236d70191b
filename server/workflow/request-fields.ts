import { INFORMATION_GRADES, SOURCE_GRADES } from '../shared/vocabulary/grading.js';
import { HANDLING_CODES } from '../shared/vocabulary/handling.js';

/**
 * How every kind of request stores its handling code and 4x4 evaluation, for their schemas to
 * spread (the inputs are in request-inputs.ts).
 */
export const handlingFields = {
  handling: {
    code: { type: String, enum: HANDLING_CODES, required: true },
    restrictions: { type: String, maxlength: 500, default: '' },
  },
  grading: {
    source: { type: String, enum: SOURCE_GRADES, required: true },
    information: { type: String, enum: INFORMATION_GRADES, required: true },
  },
} as const;

/** Their stored shape, as read back. */
export interface HandlingRecord {
  handling: { code: string; restrictions: string };
  grading: { source: string; information: string };
}
