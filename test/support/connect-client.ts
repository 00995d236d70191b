import { contentText, openItem, sealItem } from '../../server/crypto/client.js';
import { base64 } from '../../server/crypto/group-keyring.js';
import type { Ack } from '../../server/realtime/events.js';
import type { WireMessage } from '../../server/modules/connect/connect.events.js';
import { newClientId } from '../../server/shared/client-id.js';
import type { ClientSocket } from './client.js';
import type { CryptoOfficer } from './crypto-officer.js';

/** A Connect user: an officer with an unlocked key and a live socket that records what arrives. */
export interface ConnectUser {
  readonly officer: CryptoOfficer;
  socket: ClientSocket;
  /** Every message:new received, in arrival order. */
  readonly received: WireMessage[];
  /** Every other event received, by name. */
  readonly events: { name: string; payload: unknown }[];
  /** Seals `text` for the channel and sends it; resolves with the acknowledgement. */
  send(
    channel: string,
    text: string,
    options?: { clientId?: string; threadRoot?: number; mentions?: string[] },
  ): Promise<Ack<{ id: string; seq: number; duplicate: boolean; createdAt: string }>>;
  /** `text` sealed for the channel's current key and signed, as `message:send` and `message:edit` carry it. */
  seal(channel: string, text: string): Promise<{ epoch: number; body: string; keyPackets: string }>;
  /** Decrypts and verifies a received message. */
  open(message: WireMessage): Promise<string>;
  /** Emits an event and waits for its acknowledgement. */
  call<T>(event: string, payload: unknown): Promise<Ack<T>>;
  /** Reconnects with a fresh socket (same session). */
  reconnect(): Promise<void>;
  /** Waits until `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
}

/**
 * What an officer's socket was last told of a colleague's presence (by a snapshot on connecting,
 * or an update since): undefined if never told.
 */
export function presenceIn(events: readonly { name: string; payload: unknown }[], account: string): string | undefined {
  for (const { name, payload } of [...events].reverse()) {
    if (name === 'presence:update' && (payload as { account: string }).account === account) return (payload as { state: string }).state;
    if (name === 'presence:snapshot') {
      return (payload as { presence: { account: string; state: string }[] }).presence.find((entry) => entry.account === account)?.state ?? 'offline';
    }
  }
  return undefined;
}

/** Connects an officer's socket and records its events. */
export async function connectUser(officer: CryptoOfficer): Promise<ConnectUser> {
  const received: WireMessage[] = [];
  const events: { name: string; payload: unknown }[] = [];
  const attach = (socket: ClientSocket): void => {
    socket.on('message:new', (message) => received.push(message));
    socket.onAny((name: string, payload: unknown) => {
      if (name !== 'message:new') events.push({ name, payload });
    });
  };
  const user: ConnectUser = {
    officer,
    socket: await officer.client.socket(attach),
    received,
    events,
    async seal(channel, text) {
      const keys = await officer.keyring.keys(`channel:${channel}`);
      const sealed = await sealItem({ content: text, recipients: [keys.current.publicKey], signer: officer.privateKey });
      return { epoch: keys.current.epoch, body: base64.encode(sealed.body), keyPackets: base64.encode(sealed.keyPackets) };
    },
    async send(channel, text, options = {}) {
      return user.call('message:send', {
        channel,
        clientId: options.clientId ?? newClientId(),
        ...(await user.seal(channel, text)),
        ...(options.threadRoot ? { threadRoot: options.threadRoot } : {}),
        ...(options.mentions ? { mentions: options.mentions } : {}),
      });
    },
    async open(message) {
      const keys = await officer.keyring.keys(`channel:${message.channel}`, { refresh: true });
      const opened = await openItem({
        item: { body: base64.decode(message.body), keyPackets: base64.decode(message.keyPackets) },
        decryptionKeys: [...keys.privateKeys.values()],
        authorKeys: [await officer.keyOf(message.senderFingerprint)],
      });
      return contentText(opened.content);
    },
    call<T>(event: string, payload: unknown): Promise<Ack<T>> {
      return new Promise((resolve, reject) => {
        (user.socket.timeout(10_000) as unknown as { emit(e: string, p: unknown, cb: (error: Error | null, answer: Ack<T>) => void): void }).emit(
          event,
          payload,
          (error, answer) => (error ? reject(error) : resolve(answer)),
        );
      });
    },
    async reconnect() {
      user.socket.disconnect();
      user.socket = await officer.client.socket(attach);
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`received ${received.length} of ${count} messages`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
  return user;
}
