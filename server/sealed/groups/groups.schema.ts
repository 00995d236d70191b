import { z } from 'zod';
import { objectIdInput } from '../../validation.js';

/** Binary data in JSON: base64, bounded. */
export const base64Input = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3) + 4, `is larger than ${maxBytes} bytes`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));

export const groupIdInput = z.string().max(80);

const envelopeInput = z.object({
  recipient: objectIdInput,
  data: base64Input(16_384),
});

export const createEpochSchema = z.object({
  epoch: z.number().int().min(1).max(1_000_000),
  publicKey: z.string().max(20_000).refine((value) => value.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----'), 'must be an armored public key'),
  envelopes: z.array(envelopeInput).min(1).max(2_000),
});
export type CreateEpochInput = z.output<typeof createEpochSchema>;

export const shareEnvelopesSchema = z.object({
  envelopes: z
    .array(envelopeInput.extend({ epoch: z.number().int().min(1) }))
    .min(1)
    .max(2_000),
});
export type ShareEnvelopesInput = z.output<typeof shareEnvelopesSchema>;
