import { z } from 'zod';
import { base64Input } from '../../sealed/groups/groups.schema.js';
import { objectIdInput } from '../../validation.js';

/** Largest message ciphertext; files go through encrypted uploads. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Ciphertext travels as base64 text on the socket, as on HTTP: Socket.IO would send each binary
 * field as a frame of its own, and its parser refuses packets of more than 10 such frames (a page
 * of 50 messages has 100).
 */
const bytes = (max: number) => base64Input(max).refine((value) => value.length > 0 && value.length <= max, `must be 1 to ${max} bytes`);

/** Members mentioned in a message (each once). */
const mentionsInput = z
  .array(objectIdInput)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a member')
  .optional();

/** A message's id as clients have it (see messageId in channel.model.ts; older ones are ObjectIds). */
const messageIdInput = z.string().regex(/^[A-Za-z0-9_.-]{1,260}$/, 'must be a message id');

export const sendSchema = z.object({
  channel: objectIdInput,
  clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a client-generated id'),
  epoch: z.number().int().min(1),
  body: bytes(MAX_MESSAGE_BYTES),
  keyPackets: bytes(8_192),
  threadRoot: z.number().int().min(1).optional(),
  attachments: z.array(objectIdInput).max(10).optional(),
  mentions: mentionsInput,
});
export type SendInput = z.output<typeof sendSchema>;

export const historySchema = z.object({
  channel: objectIdInput,
  beforeSeq: z.number().int().min(1).optional(),
  threadRoot: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(50).optional(),
});
export type HistoryInput = z.output<typeof historySchema>;

export const threadsSchema = z.object({ channel: objectIdInput });

export const syncSchema = z.object({
  channel: objectIdInput,
  afterSeq: z.number().int().min(0),
});

export const receiptSchema = z.object({
  channel: objectIdInput,
  seq: z.number().int().min(1),
  threadRoot: z.number().int().min(1).optional(),
});
export type ReceiptInput = z.output<typeof receiptSchema>;

export const typingSchema = z.object({ channel: objectIdInput, typing: z.boolean() });
export const presenceSchema = z.object({ state: z.enum(['online', 'away']) });
export const directSchema = z.object({ accountId: objectIdInput });

export const editSchema = z.object({
  channel: objectIdInput,
  id: messageIdInput,
  epoch: z.number().int().min(1),
  body: bytes(MAX_MESSAGE_BYTES),
  keyPackets: bytes(8_192),
  mentions: mentionsInput,
});
export type EditInput = z.output<typeof editSchema>;

export const messageRefSchema = z.object({ channel: objectIdInput, id: messageIdInput });
export type MessageRef = z.output<typeof messageRefSchema>;
