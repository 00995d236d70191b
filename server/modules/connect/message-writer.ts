import mongoose from 'mongoose';
import type { Logger } from '../../logger.js';
import { now } from '../../clock.js';
import { isDuplicateKey } from '../../db/errors.js';
import { Message, type MessageDocument } from './channel.model.js';
import { presentMessage, type MessageView } from './message-view.js';
import type { RecentMessages } from './recent-messages.js';
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
export interface StoredMessage {
  readonly message: MessageView;
  readonly duplicate: boolean;
}

interface Pending {
  readonly draft: DraftMessage;
  resolve(message: StoredMessage): void;
  reject(error: unknown): void;
}

/**
 * Group commit for messages: one insert at a time, of everything submitted while the previous
 * one was being written (up to `maxBatch`); an idle writer waits `windowMs` for company before
 * writing. Each sender is answered only once its batch is stored. Retries (same channel, sender
 * and client id) resolve to the message already stored.
 */
export class MessageWriter {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The write loop while it runs. */
  #running: Promise<void> | undefined;

  readonly #windowMs: number;
  readonly #maxBatch: number;
  readonly #recent: RecentMessages | undefined;

  /** `recent`: told of every batch stored, when this process is the only one writing messages. */
  constructor(
    private readonly seqs: SeqAllocator,
    private readonly logger: Logger,
    options: { recent?: RecentMessages; windowMs?: number; maxBatch?: number } = {},
  ) {
    this.#recent = options.recent;
    this.#windowMs = options.windowMs ?? 2;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /** Stores a draft; resolves with the stored message once its batch is written. */
  submit(draft: DraftMessage): Promise<StoredMessage> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ draft, resolve, reject });
      if (this.#running) return;
      if (this.#queue.length >= this.#maxBatch) this.#start();
      else this.#timer ??= setTimeout(() => this.#start(), this.#windowMs);
    });
  }

  /** Waits until everything submitted so far is written (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#running) {
      if (!this.#running) this.#start();
      await this.#running;
    }
    await this.seqs.flush();
  }

  #start(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running) return;
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      // Submitted between the loop's last look at the queue and now.
      if (this.#queue.length > 0) this.#start();
    });
  }

  async #loop(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      // #write answers every draft of the batch, stored or failed; it does not throw.
      await this.#write(batch).catch((error: unknown) => this.logger.error({ err: error }, 'message batch failed'));
    }
  }

  async #write(batch: Pending[], attempt = 0): Promise<void> {
    try {
      // Retries are rare: insert first and let the unique (channel, sender, clientId) index
      // find them, rather than query for every batch.
      const byChannel = new Map<string, Pending[]>();
      for (const pending of batch) {
        const items = byChannel.get(pending.draft.channel);
        if (items) items.push(pending);
        else byChannel.set(pending.draft.channel, [pending]);
      }
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
        const rest = await this.#settleStored(documents);
        for (const channel of byChannel.keys()) {
          this.seqs.resync(channel);
          this.#recent?.forget(channel);
        }
        if (rest.length) await this.#write(rest, attempt + 1);
        return;
      }
      const views = documents.map(({ pending: _pending, ...document }) => presentMessage(document));
      this.#recent?.stored(views);
      views.forEach((message, index) => {
        this.seqs.stored(message.channel, message.seq);
        documents[index]!.pending.resolve({ message, duplicate: false });
      });
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
      if (!found) {
        rest.push(document.pending);
        continue;
      }
      this.seqs.stored(String(found.channel), found.seq);
      document.pending.resolve({ message: presentMessage(found), duplicate: String(found._id) !== String(document._id) });
    }
    return rest;
  }
}
