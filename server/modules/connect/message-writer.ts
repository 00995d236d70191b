import mongoose from 'mongoose';
import type { Logger } from '../../logger.js';
import { now } from '../../clock.js';
import { unavailableOr } from '../../db/availability.js';
import { isDuplicateKey } from '../../db/errors.js';
import { AppError } from '../../errors.js';
import { Message, messageId, type MessageDocument } from './channel.model.js';
import { presentMessage, type MessageView } from './message-view.js';
import type { RecentMessages } from './recent-messages.js';
import type { SeqAllocator } from './seq-allocator.js';

/**
 * A batch whose numbers were reserved longer ago than this is not inserted (its senders get a
 * retryable error and send again, with new numbers): so a number is stored within this time of
 * its reservation or never, which is what lets a resync tell a gap from a message still on its
 * way (SETTLE_MS in connect.service.ts is well above it).
 */
export const STORE_DEADLINE_MS = 5_000;

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
  readonly mentions?: string[] | undefined;
}

/** A stored message; `duplicate` when the same client id had been stored before (a retry). */
export interface StoredMessage {
  readonly message: MessageView;
  readonly duplicate: boolean;
}

interface Pending {
  /** The message's `_id` ({@link messageId}). */
  readonly id: string;
  readonly draft: DraftMessage;
  resolve(message: StoredMessage): void;
  reject(error: unknown): void;
}

/**
 * Group commit for messages: one insert at a time, of everything submitted while the previous
 * one was being written (up to `maxBatch`); an idle writer waits `windowMs` for company before
 * writing. Each sender is answered only once its batch is stored. Retries (same channel, sender
 * and client id) resolve to the message already stored, found by `_id`, or join the first send
 * while it is still being written.
 */
export class MessageWriter {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The write loop while it runs. */
  #running: Promise<void> | undefined;
  /** Sends not yet answered, by message `_id`: a retry meanwhile waits for the first one. */
  readonly #inFlight = new Map<string, Promise<StoredMessage>>();

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
    const id = messageId(draft.channel, draft.sender, draft.clientId);
    const first = this.#inFlight.get(id);
    if (first) return first.then(({ message }) => ({ message, duplicate: true }));
    const stored = new Promise<StoredMessage>((resolve, reject) => {
      this.#queue.push({ id, draft, resolve, reject });
      if (this.#running) return;
      if (this.#queue.length >= this.#maxBatch) this.#start();
      else this.#timer ??= setTimeout(() => this.#start(), this.#windowMs);
    });
    this.#inFlight.set(id, stored);
    const settled = (): void => void this.#inFlight.delete(id);
    stored.then(settled, settled);
    return stored;
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
      // Retries are rare: insert first and let the unique `_id` find them, rather than look
      // every message up first.
      const byChannel = new Map<string, Pending[]>();
      for (const pending of batch) {
        const items = byChannel.get(pending.draft.channel);
        if (items) items.push(pending);
        else byChannel.set(pending.draft.channel, [pending]);
      }
      const reservedAt = performance.now();
      const firstSeqs = new Map<string, number>();
      // All channels at once: the allocator saves their new ceilings together.
      await Promise.all([...byChannel].map(async ([channel, items]) => firstSeqs.set(channel, await this.seqs.reserve(channel, items.length))));
      // Taken after the numbers: a number below this message's was reserved before this time.
      const createdAt = now();
      const documents: (MessageDocument & { _id: string; pending: Pending })[] = [];
      for (const [channel, items] of byChannel) {
        let seq = firstSeqs.get(channel)!;
        for (const pending of items) {
          const { draft } = pending;
          documents.push({
            _id: pending.id,
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
            ...(draft.mentions?.length ? { mentions: draft.mentions.map((id) => new mongoose.Types.ObjectId(id)) } : {}),
            createdAt,
            pending,
          });
        }
      }
      if (performance.now() - reservedAt > STORE_DEADLINE_MS) {
        throw new AppError(503, 'message-not-stored', 'The message could not be stored in time; it is sent again.');
      }
      try {
        await Message.collection.insertMany(
          documents.map(({ pending: _pending, ...document }) => document) as never[],
          { ordered: false },
        );
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
        // Some were stored, some collided (retries of stored messages, or numbers another writer
        // took): settle what is stored now (ours or earlier), resync the counters, write the rest.
        for (const channel of byChannel.keys()) {
          this.seqs.resync(channel);
          this.#recent?.forget(channel);
        }
        const rest = await this.#settleStored(documents);
        if (rest.length) await this.#write(rest, attempt + 1);
        return;
      }
      const views = documents.map(({ pending: _pending, ...document }) => presentMessage(document));
      this.#recent?.stored(views);
      views.forEach((message, index) => documents[index]!.pending.resolve({ message, duplicate: false }));
    } catch (error) {
      // The insert may have been applied before its answer was lost (the database died under
      // it): what is kept in memory of these channels can no longer be called complete.
      for (const pending of batch) this.#recent?.forget(pending.draft.channel);
      const answer = unavailableOr(error);
      for (const pending of batch) pending.reject(answer);
    }
  }

  /**
   * After a partly failed insert: answers each draft whose `_id` is now stored, as new if it is
   * the document this writer inserted (same number), as a duplicate otherwise; returns the drafts
   * still to write. Lookups by `_id` only: indexed on every database.
   */
  async #settleStored(documents: (MessageDocument & { _id: string; pending: Pending })[]): Promise<Pending[]> {
    const found = await Promise.all(documents.map((document) => Message.findById(document._id).lean<MessageDocument>()));
    const rest: Pending[] = [];
    documents.forEach((document, index) => {
      const stored = found[index];
      if (!stored) rest.push(document.pending);
      else document.pending.resolve({ message: presentMessage(stored), duplicate: stored.seq !== document.seq });
    });
    return rest;
  }
}
