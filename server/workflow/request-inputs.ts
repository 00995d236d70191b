/** Inputs every kind of request takes the same way: sealed texts, attachments, signatures, transmissions. */
import { z } from 'zod';
import { base64Input } from '../sealed/groups/groups.schema.js';
import { MAX_ITEM_BYTES } from '../sealed/items/items.schema.js';
import { INFORMATION_GRADES, SOURCE_GRADES } from '../shared/vocabulary/grading.js';
import { HANDLING_CODES } from '../shared/vocabulary/handling.js';
import { objectIdInput } from '../validation.js';

/** A sealed body, as the browser sends it: ciphertext for a group's epoch key. */
export const sealedInput = z.object({
  epoch: z.number().int().min(1),
  body: base64Input(MAX_ITEM_BYTES),
  keyPackets: base64Input(8_192),
});
export type SealedInput = z.output<typeof sealedInput>;

/** Files uploaded (sealed) for a request: at most ten, each once. */
export const attachmentIds = z
  .array(objectIdInput)
  .max(10, 'Attach at most 10 files.')
  .default([])
  .refine((ids) => new Set(ids).size === ids.length, 'The same file is attached twice.');

/** An officer's detached signature over a statement the server rebuilds, and when they signed. */
export const signedInput = z.object({
  signedAt: z.coerce.date(),
  signature: z.string().trim().min(50).max(4_000).startsWith('-----BEGIN PGP SIGNATURE-----'),
});
export type SignedInput = z.output<typeof signedInput>;

/** How something was sent to or received from abroad. */
export const TRANSMISSION_MEDIA = ['i24-7', 'email', 'diplomatic', 'other'] as const;
export const transmissionMedium = z.enum(TRANSMISSION_MEDIA).default('i24-7');

/** An INTERPOL or foreign reference number as officers write it. */
export const interpolReference = (missing: string) =>
  z
    .string()
    .trim()
    .min(3, missing)
    .max(60)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./:_-]*$/u, 'Use letters, digits, spaces and . / : _ - only.');

/** A handling code (SIENA's H0-H3); H3 must state the restrictions it refers to. */
export const handlingInput = z
  .object({
    code: z.enum(HANDLING_CODES, { error: 'Choose a handling code.' }),
    restrictions: z.string().trim().max(500).default(''),
  })
  .superRefine((handling, issues) => {
    if (handling.code === 'H3' && handling.restrictions.length < 3) {
      issues.addIssue({ code: 'custom', path: ['restrictions'], message: 'State the restrictions that H3 refers to.' });
    }
  });

/** The 4x4 evaluation: source reliability and information. */
export const gradingInput = z.object({
  source: z.enum(SOURCE_GRADES, { error: 'Grade the source A, B, C or X.' }),
  information: z.enum(INFORMATION_GRADES, { error: 'Grade the information 1 to 4.' }),
});
