import mongoose from 'mongoose';
import type { Logger } from '../../logger.js';
import { now } from '../../clock.js';
import { isDuplicateKey } from '../../db/errors.js';
import { Message, type MessageDocument } from './channel.model.js';
import type { SeqAllocator } from './seq-allocator.js';

/** A message ready to store (validated and authorised), without its sequence number. */
export interface DraftMessage {
  readonly channel: string;
  readonly clientId: string;
  readonly sender: string;
  readonly senderFingerprint: string;
  readonly epoch: number;
  readonly body: Uint8Array;
  readonly keyPackets: Uint8Array;
  readonly threadRoot?: number | undefined;
  readonly attachments?: string[] | undefined;
}

/** A stored message; `duplicate` when the same client id had been stored before (a retry). */
export type StoredMessage = MessageDocument & { duplicate: boolean };

interface Pending {
  readonly draft: DraftMessage;
  resolve(message: StoredMessage): void;
  reject(error: unknown): void;
}

/**
 * Group commit for messages: drafts submitted within a few milliseconds are written together,
 * one insert for the batch, and each sender is answered only once its batch is stored. Retries
 * (same channel, sender and client id) resolve to the message already stored.
 */
export class MessageWriter {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly seqs: SeqAllocator,
    private readonly logger: Logger,
    private readonly windowMs = 2,
    private readonly maxBatch = 500,
  ) {}

  /** Stores a draft; resolves with the stored message once its batch is written. */
  submit(draft: DraftMessage): Promise<StoredMessage> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ draft, resolve, reject });
      if (this.#queue.length >= this.maxBatch) this.#schedule(0);
      else this.#schedule(this.windowMs);
    });
  }

  /** Waits until everything submitted so far is written (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#timer) {
      this.#schedule(0);
      await this.#flushing;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.#flushing;
    await this.seqs.flush();
  }

  #schedule(delay: number): void {
    if (this.#timer && delay > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const batch = this.#queue.splice(0, this.maxBatch);
      if (batch.length === 0) return;
      this.#flushing = this.#flushing.then(() => this.#write(batch)).catch((error: unknown) => {
        this.logger.error({ err: error }, 'message batch failed');
      });
      if (this.#queue.length > 0) this.#schedule(this.windowMs);
    }, delay);
  }

  async #write(batch: Pending[], attempt = 0): Promise<void> {
    try {
      // Retries are rare: insert first and let the unique (channel, sender, clientId) index
      // find them, rather than query for every batch.
      const fresh = batch;
      const byChannel = new Map<string, Pending[]>();
      for (const pending of fresh) byChannel.set(pending.draft.channel, [...(byChannel.get(pending.draft.channel) ?? []), pending]);
      const documents: (MessageDocument & { pending: Pending })[] = [];
      const createdAt = now();
      for (const [channel, items] of byChannel) {
        let seq = await this.seqs.reserve(channel, items.length);
        for (const pending of items) {
          const { draft } = pending;
          documents.push({
            _id: new mongoose.Types.ObjectId(),
            channel: new mongoose.Types.ObjectId(channel),
            seq: seq++,
            clientId: draft.clientId,
            sender: new mongoose.Types.ObjectId(draft.sender),
            senderFingerprint: draft.senderFingerprint,
            epoch: draft.epoch,
            body: Buffer.from(draft.body),
            keyPackets: Buffer.from(draft.keyPackets),
            ...(draft.threadRoot !== undefined ? { threadRoot: draft.threadRoot } : {}),
            ...(draft.attachments?.length ? { attachments: draft.attachments.map((id) => new mongoose.Types.ObjectId(id)) } : {}),
            createdAt,
            pending,
          });
        }
      }
      try {
        await Message.collection.insertMany(
          documents.map(({ pending: _pending, ...document }) => document),
          { ordered: false },
        );
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
        // Some were stored, some collided (retries of stored messages, or numbers another process
        // took): settle what is stored now (ours or earlier), resync the counters, write the rest.
        const stored = await this.#settleStored(documents);
        for (const channel of byChannel.keys()) this.seqs.resync(channel);
        if (stored.length) await this.#write(stored, attempt + 1);
        return;
      }
      for (const { pending, ...document } of documents) pending.resolve({ ...document, duplicate: false });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }

  /**
   * After a partly failed insert: answers each draft whose (channel, sender, client id) is now
   * stored, as new if it is the document this writer inserted, as a duplicate otherwise; returns
   * the drafts still to write.
   */
  async #settleStored(documents: (MessageDocument & { pending: Pending })[]): Promise<Pending[]> {
    const rest: Pending[] = [];
    for (const document of documents) {
      const found = await Message.findOne({ channel: document.channel, sender: document.sender, clientId: document.clientId }).lean<MessageDocument>();
      if (!found) rest.push(document.pending);
      else document.pending.resolve({ ...found, duplicate: String(found._id) !== String(document._id) });
    }
    return rest;
  }
}
