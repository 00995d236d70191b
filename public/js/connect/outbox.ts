import type { ClientToServerEvents } from '../../../server/realtime/events.js';

/**
 * A message sealed in this browser and not yet acknowledged by the server, as the outbox keeps
 * it: the `message:send` payload (ciphertext and routing only) and when it was queued.
 */
export type Outgoing = Parameters<ClientToServerEvents['message:send']>[0] & { queuedAt: string };

/**
 * The officer's unacknowledged messages, kept in this browser's localStorage so that a reload, a
 * closed tab or a crash loses nothing typed: they are sent again, with the same client id, when
 * the page next connects (the server stores a client id once). Only ciphertext is kept, under a
 * key of the officer's own, so a colleague signing in on the same browser neither sees nor
 * sends them. A browser that refuses storage (private mode, quota) still sends; it just cannot
 * keep the message across a reload.
 */
export class Outbox {
  readonly #key: string;

  constructor(
    accountId: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
  ) {
    this.#key = `bharatpol.outbox.${accountId}`;
  }

  /** The kept messages, oldest first (of one channel when `channel` is given). */
  list(channel?: string): Outgoing[] {
    const all = this.#read();
    return channel === undefined ? all : all.filter((message) => message.channel === channel);
  }

  put(message: Outgoing): void {
    this.#write([...this.#read().filter((kept) => kept.clientId !== message.clientId), message]);
  }

  remove(clientId: string): void {
    const all = this.#read();
    const rest = all.filter((message) => message.clientId !== clientId);
    if (rest.length !== all.length) this.#write(rest);
  }

  #read(): Outgoing[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.#key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isOutgoing) : [];
    } catch {
      return []; // unreadable (edited by hand, or storage refused): nothing to resend
    }
  }

  #write(messages: Outgoing[]): void {
    try {
      if (messages.length === 0) this.storage.removeItem(this.#key);
      else this.storage.setItem(this.#key, JSON.stringify(messages));
    } catch {
      // Storage refused (quota, private mode): the message is still being sent from memory.
    }
  }
}

function isOutgoing(value: unknown): value is Outgoing {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    typeof message['channel'] === 'string' &&
    typeof message['clientId'] === 'string' &&
    typeof message['epoch'] === 'number' &&
    typeof message['body'] === 'string' &&
    typeof message['keyPackets'] === 'string' &&
    typeof message['queuedAt'] === 'string'
  );
}
