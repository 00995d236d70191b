import { rewrapKeyPackets, sealItem } from '../../../server/crypto/client.js';
import { base64 } from '../../../server/crypto/group-keyring.js';
import { newClientId } from '../../../server/shared/client-id.js';
import { RETRYABLE_SEND_CODES } from '../../../server/shared/send-retry.js';
import type { WireMessage } from '../../../server/modules/connect/connect.events.js';
import type { PortalSocket } from '../lib/connection.js';
import type { CryptoSession } from './crypto-session.js';
import { Outbox, type Outgoing } from './outbox.js';
import { call, SocketCallError } from './socket-call.js';

/** Answers after which the message is wrapped again for the channel's current key and resent. */
const STALE_KEY = new Set(['epoch-stale', 'rotation-needed', 'group-key-missing']);
/** Tries of one delivery before the message waits for the next reconnect or sweep. */
const ATTEMPTS = 5;
/** How often messages still waiting are tried again while the socket is connected. */
const SWEEP_MS = 15_000;

/** Where an outgoing message stands, for the page to show. */
export type OutgoingState =
  | { readonly state: 'sending' }
  | { readonly state: 'waiting' }
  | { readonly state: 'sent'; readonly seq: number }
  | { readonly state: 'failed'; readonly reason: string };

/**
 * Sends the officer's messages: seals them, keeps them in the {@link Outbox} until the server
 * acknowledges them, and tries again with the same client id (after a retryable answer, after a
 * reconnect, every {@link SWEEP_MS} while any wait, and after a reload). A message refused for
 * good (not a member any more, malformed) leaves the outbox and is reported failed.
 */
export class Sender {
  readonly outbox: Outbox;
  readonly #inFlight = new Set<string>();

  constructor(
    private readonly socket: PortalSocket,
    private readonly session: CryptoSession,
    private readonly report: (message: Outgoing, state: OutgoingState) => void,
  ) {
    this.outbox = new Outbox(session.accountId);
    socket.on('connect', () => this.flush());
    setInterval(() => socket.connected && this.flush(), SWEEP_MS);
  }

  /** Seals `text` for the channel's current key, signed by the officer. */
  async #seal(channel: string, text: string, options: { refresh?: boolean } = {}): Promise<{ epoch: number; body: string; keyPackets: string }> {
    const keys = await this.session.keyring.keys(`channel:${channel}`, options);
    const sealed = await sealItem({ content: text, recipients: [keys.current.publicKey], signer: this.session.privateKey });
    return { epoch: keys.current.epoch, body: base64.encode(sealed.body), keyPackets: base64.encode(sealed.keyPackets) };
  }

  /** Seals `text` for the channel's current key, keeps it, and delivers it. */
  async send(
    channel: string,
    text: string,
    options: { threadRoot?: number; attachments?: string[]; mentions?: string[] } = {},
  ): Promise<Outgoing> {
    const message: Outgoing = {
      channel,
      clientId: newClientId(),
      ...(await this.#seal(channel, text)),
      ...(options.threadRoot ? { threadRoot: options.threadRoot } : {}),
      ...(options.attachments?.length ? { attachments: options.attachments } : {}),
      ...(options.mentions?.length ? { mentions: options.mentions } : {}),
      queuedAt: new Date().toISOString(),
    };
    this.outbox.put(message);
    void this.#deliver(message);
    return message;
  }

  /**
   * Replaces the text of one of the officer's messages: sealed for the channel's current key (and
   * again, once, if the key moved on meanwhile). Not kept in the outbox: an edit that fails is
   * reported at once, the message stays as it was.
   */
  async edit(channel: string, id: string, text: string, mentions: string[]): Promise<WireMessage> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const sealed = await this.#seal(channel, text, { refresh: attempt > 1 });
        return await call(this.socket, 'message:edit', { channel, id, ...sealed, ...(mentions.length ? { mentions } : {}) });
      } catch (error) {
        if (!(error instanceof SocketCallError && STALE_KEY.has(error.code)) || attempt >= 2) throw error;
      }
    }
  }

  /** Forgets a kept message the officer chose not to send after all. */
  discard(clientId: string): void {
    this.outbox.remove(clientId);
  }

  /** Delivers every kept message not already on its way. */
  flush(): void {
    for (const message of this.outbox.list()) void this.#deliver(message);
  }

  async #deliver(kept: Outgoing): Promise<void> {
    if (this.#inFlight.has(kept.clientId)) return;
    this.#inFlight.add(kept.clientId);
    this.report(kept, { state: 'sending' });
    let message = kept;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const { queuedAt, ...payload } = message; // when it was queued stays in this browser
          const answer = await call(this.socket, 'message:send', payload);
          this.outbox.remove(message.clientId);
          this.report(message, { state: 'sent', seq: answer.seq });
          return;
        } catch (error) {
          const code = error instanceof SocketCallError ? error.code : 'network';
          if (STALE_KEY.has(code) && attempt < ATTEMPTS) {
            message = await this.#rewrap(message);
            this.outbox.put(message);
            continue;
          }
          if (!RETRYABLE_SEND_CODES.has(code)) {
            this.outbox.remove(message.clientId);
            this.report(message, { state: 'failed', reason: error instanceof Error ? error.message : 'The message could not be sent.' });
            return;
          }
          if (attempt >= ATTEMPTS) {
            this.report(message, { state: 'waiting' });
            return;
          }
          if (code !== 'timeout') await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 8_000)));
        }
      }
    } catch {
      // The channel's keys could not be fetched or opened now: kept, and tried again later.
      this.report(message, { state: 'waiting' });
    } finally {
      this.#inFlight.delete(kept.clientId);
    }
  }

  /**
   * The same message for the channel's current key: its session key is opened with the officer's
   * keys of the channel and wrapped again for the new epoch; the signed body is not touched.
   */
  async #rewrap(message: Outgoing): Promise<Outgoing> {
    const keys = await this.session.keyring.keys(`channel:${message.channel}`, { refresh: true });
    const keyPackets = await rewrapKeyPackets({
      keyPackets: base64.decode(message.keyPackets),
      decryptionKeys: [...keys.privateKeys.values()],
      recipients: [keys.current.publicKey],
    });
    return { ...message, epoch: keys.current.epoch, keyPackets: base64.encode(keyPackets) };
  }
}
