/**
 * Connect traffic as officers' pages make it, for fault runs: demo officers on their channels,
 * sending at a steady rate through one address (a portal or the proxy in front of several), each
 * retrying with the same client id after 10 s without an answer or after a retryable answer,
 * reconnecting when the server goes, and resyncing from each channel's first hole (the page's own
 * cursor logic, `server/shared/channel-cursors.ts`). Everything acknowledged and everything each
 * member received is recorded, for {@link verdict} to check against the database.
 */
import { io as connect } from 'socket.io-client';
import { sealItem } from '../../server/crypto/client.js';
import { base64 } from '../../server/crypto/group-keyring.js';
import type { Ack } from '../../server/realtime/events.js';
import type { SyncPage, WireMessage } from '../../server/modules/connect/connect.events.js';
import { ChannelCursors } from '../../server/shared/channel-cursors.js';
import { newClientId } from '../../server/shared/client-id.js';
import { RETRYABLE_SEND_CODES } from '../../server/shared/send-retry.js';
import type { ClientSocket } from '../../test/support/client.js';
import { withCrypto, type CryptoOfficer } from '../../test/support/crypto-officer.js';
import { demoOfficer } from '../../test/support/demo-officer.js';

/** Answers after which a send is tried again with the same client id: the page's, and a lost connection. */
const RETRYABLE = new Set([...RETRYABLE_SEND_CODES, 'disconnected']);
const ANSWER_TIMEOUT_MS = 10_000;
/** A message not acknowledged within this long is given up (reported, not counted as lost). */
const GIVE_UP_MS = 120_000;
/** Demo officers who share channels with each other. */
const OFFICERS = ['cbi.officer', 'ilo.mh', 'uo.mh.pune', 'uo.mh.cyber', 'ilo.dl', 'uo.dl.crime', 'ilo.nia', 'uo.nia.mumbai'];

export interface Acknowledged {
  readonly id: string;
  readonly channel: string;
  /** The sending officer's username. */
  readonly sender: string;
  readonly clientId: string;
  readonly seq: number;
  readonly sentAt: number;
  readonly ackedAt: number;
  /** Sends of it, the first included (a retry with the same client id counts). */
  readonly tries: number;
}

interface Member {
  readonly username: string;
  readonly accountId: string;
  readonly officer: CryptoOfficer;
  readonly socket: ClientSocket;
  readonly cursors: ChannelCursors<WireMessage>;
  /** Per channel, the ids of every message this member's client was handed (live or resynced). */
  readonly received: Map<string, Set<string>>;
  /** Per channel, a real sealed message of this officer, sent again under new client ids. */
  readonly payloads: Map<string, { epoch: number; body: string; keyPackets: string }>;
}

export interface WorkloadChannel {
  readonly id: string;
  readonly members: string[];
  /** The channel's last number when the run began: only what comes after counts. */
  readonly lastSeq: number;
}

export class ConnectWorkload {
  readonly acknowledged: Acknowledged[] = [];
  /** Messages refused for good, by code. */
  readonly refused = new Map<string, number>();
  /** Messages still unacknowledged when given up. */
  givenUp = 0;
  reconnects = 0;
  readonly #members: Member[];
  readonly #pending = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #sent = 0;

  private constructor(
    private readonly url: string,
    members: Member[],
    readonly channels: WorkloadChannel[],
  ) {
    this.#members = members;
  }

  /**
   * Signs the demo officers in through `url`, unlocks their keys, and picks up to `channelCount`
   * channels that two or more of them share; the officers' sockets follow every one of them.
   */
  static async open(url: string, channelCount = 5): Promise<ConnectWorkload> {
    const officers = await Promise.all(OFFICERS.map(async (username) => withCrypto(demoOfficer(() => url, username))));
    // Their first lists make their agencies' channels, in whichever process answers each; the
    // other process shows a new channel within its channel list's 5-second refresh.
    await Promise.all(officers.map((officer) => officer.client.request('GET', '/api/channels')));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const byChannel = new Map<string, { members: string[]; lastSeq: number }>();
    for (const officer of officers) {
      const { channels } = (await officer.client.request<{ channels: { id: string; lastSeq: number }[] }>('GET', '/api/channels')).body;
      for (const { id, lastSeq } of channels) {
        byChannel.set(id, { members: [...(byChannel.get(id)?.members ?? []), officer.officer.username], lastSeq });
      }
    }
    const channels = [...byChannel.entries()]
      .filter(([, { members }]) => members.length >= 2)
      .slice(0, channelCount)
      .map(([id, { members, lastSeq }]) => ({ id, members, lastSeq }));
    const workload = new ConnectWorkload(url, [], channels);
    for (const officer of officers) {
      const mine = channels.filter((channel) => channel.members.includes(officer.officer.username));
      if (mine.length > 0) workload.#members.push(await workload.#member(officer, mine));
    }
    return workload;
  }

  async #member(officer: CryptoOfficer, channels: WorkloadChannel[]): Promise<Member> {
    const payloads = new Map<string, { epoch: number; body: string; keyPackets: string }>();
    for (const channel of channels) {
      const keys = await officer.keyring.keys(`channel:${channel.id}`);
      const sealed = await sealItem({ content: `fault run: ${officer.officer.username}`, recipients: [keys.current.publicKey], signer: officer.privateKey });
      payloads.set(channel.id, { epoch: keys.current.epoch, body: base64.encode(sealed.body), keyPackets: base64.encode(sealed.keyPackets) });
    }
    const received = new Map(channels.map((channel) => [channel.id, new Set<string>()]));
    // The cursors resync through the socket, which listens to the cursors: made in that order.
    const link: { socket?: ClientSocket } = {};
    const cursors = new ChannelCursors<WireMessage>({
      resync: async (channel, afterSeq) => {
        if (!link.socket) throw new Error('not connected yet');
        const answer = await call<SyncPage>(link.socket, 'channel:sync', { channel, afterSeq });
        if (!answer.data) throw new Error(answer.error?.code ?? 'no answer');
        return answer.data;
      },
      deliver: (message) => received.get(message.channel)?.add(message.id),
    });
    const socket = (link.socket = this.#socket(officer, cursors));
    const member: Member = { username: officer.officer.username, accountId: String(officer.officer.account._id), officer, socket, cursors, received, payloads };
    // Everything said before the run is the starting point: only what is sent from now on counts.
    for (const channel of channels) cursors.follow(channel.id, channel.lastSeq);
    await new Promise<void>((resolve) => (member.socket.connected ? resolve() : member.socket.once('connect', () => resolve())));
    return member;
  }

  /** A socket that reconnects on its own, as the page's does, and resyncs every channel after. */
  #socket(officer: CryptoOfficer, cursors: ChannelCursors<WireMessage>): ClientSocket {
    const socket: ClientSocket = connect(this.url, {
      transports: ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      extraHeaders: officer.client.cookie ? { cookie: officer.client.cookie } : {},
    });
    let connectedBefore = false;
    socket.on('connect', () => {
      if (connectedBefore) {
        this.reconnects += 1;
        void cursors.resyncAll();
      }
      connectedBefore = true;
    });
    // A server that stops says so and disconnects: connect again (it or another one behind the address).
    socket.on('disconnect', (reason) => reason === 'io server disconnect' && setTimeout(() => socket.connect(), 250));
    socket.on('message:new', (message) => void cursors.receive(message));
    socket.on('system:restored', () => void cursors.resyncAll());
    return socket;
  }

  /**
   * Sends `perSecond` messages a second until stopped: each officer in turn (an equal share of the
   * rate, well under the per-officer send limit), each in their channels in turn.
   */
  start(perSecond: number): void {
    const everyMs = 20;
    let credit = 0;
    this.#timer = setInterval(() => {
      credit += (perSecond * everyMs) / 1000;
      for (; credit >= 1; credit -= 1) {
        const member = this.#members[this.#sent % this.#members.length]!;
        const channels = [...member.payloads.keys()];
        const channel = channels[Math.floor(this.#sent / this.#members.length) % channels.length]!;
        this.#sent += 1;
        const sending = this.#send(member, channel);
        this.#pending.add(sending);
        void sending.finally(() => this.#pending.delete(sending));
      }
    }, everyMs);
  }

  get sent(): number {
    return this.#sent;
  }

  /** Stops sending and waits until every message is acknowledged, refused or given up. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Resyncs every member's every channel (after {@link stop}), as a page does after a reconnect. */
  async settle(): Promise<void> {
    for (const member of this.#members) {
      if (!member.socket.connected) await new Promise<void>((resolve) => member.socket.once('connect', () => resolve()));
      await member.cursors.resyncAll();
    }
  }

  /** What each member received in each of their channels. */
  receivedBy(): { username: string; accountId: string; channel: string; ids: ReadonlySet<string> }[] {
    return this.#members.flatMap((member) =>
      [...member.received.entries()].map(([channel, ids]) => ({ username: member.username, accountId: member.accountId, channel, ids })),
    );
  }

  close(): void {
    clearInterval(this.#timer);
    for (const member of this.#members) {
      member.cursors.close();
      member.socket.disconnect();
    }
  }

  async #send(member: Member, channel: string): Promise<void> {
    const payload = { channel, clientId: newClientId(), ...member.payloads.get(channel)! };
    const sentAt = Date.now();
    for (let tries = 1; ; tries += 1) {
      if (Date.now() - sentAt > GIVE_UP_MS) {
        this.givenUp += 1;
        return;
      }
      if (!member.socket.connected) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const answer = await call<{ id: string; seq: number }>(member.socket, 'message:send', payload).catch(
        (error: Error): Ack<{ id: string; seq: number }> => ({ error: { code: error.message, message: error.message } }),
      );
      if (answer.data) {
        this.acknowledged.push({ id: answer.data.id, channel, sender: member.username, clientId: payload.clientId, seq: answer.data.seq, sentAt, ackedAt: Date.now(), tries });
        return;
      }
      const code = answer.error?.code ?? 'unknown';
      if (!RETRYABLE.has(code)) {
        this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
        return;
      }
      if (code !== 'timeout') await new Promise((resolve) => setTimeout(resolve, code === 'too-many-messages' ? 1_000 : 250));
    }
  }
}

/** Emits and waits for the answer; rejects with `timeout` or `disconnected`. */
function call<T>(socket: ClientSocket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve, reject) => {
    const onDisconnect = (): void => reject(new Error('disconnected'));
    socket.once('disconnect', onDisconnect);
    (socket.timeout(ANSWER_TIMEOUT_MS) as unknown as { emit(e: string, p: unknown, cb: (error: Error | null, answer: Ack<T>) => void): void }).emit(
      event,
      payload,
      (error, answer) => {
        socket.off('disconnect', onDisconnect);
        if (error) reject(new Error('timeout'));
        else resolve(answer);
      },
    );
  });
}
