import type { Actor } from '../access/actor.js';
import type { DeliveryState } from '../shared/vocabulary/delivery-states.js';

/**
 * The Socket.IO event contract, shared by the server and the browser bundle (imported, never
 * copied). Every acknowledgement answers `{ data }` on success or `{ error }` on failure, with
 * the same stable codes as HTTP errors.
 */

/** An acknowledgement: exactly one of `data` or `error`. */
export type Ack<T> = { data: T; error?: never } | { error: { code: string; message: string }; data?: never };
type Answer<T> = (answer: Ack<T>) => void;

/** A message as it travels: ciphertext (binary) and routing facts. */
export interface WireMessage {
  id: string;
  channel: string;
  seq: number;
  clientId: string;
  sender: string;
  senderFingerprint: string;
  epoch: number;
  /** Ciphertext, base64. */
  body: string;
  /** Key packets, base64. */
  keyPackets: string;
  threadRoot?: number;
  attachments?: string[];
  createdAt: string;
}

/** A page of messages. */
export interface MessagePage {
  messages: WireMessage[];
  hasMore: boolean;
}

/**
 * What a resync answers: the messages after the number asked from, and `settledSeq`, a number up
 * to which the answer is final: a number at or below it that is in neither this answer nor an
 * earlier one was never stored and never will be (a gap, not a missed message). Numbers above
 * it may still arrive. Clients resync from their first hole, not from the highest number seen.
 */
export interface SyncPage extends MessagePage {
  settledSeq: number;
}

/** A thread of a channel as one member sees it: its replies, and how many of them they have not read. */
export interface ThreadSummary {
  root: number;
  replies: number;
  lastSeq: number;
  unread: number;
}

export type PresenceState = 'online' | 'away' | 'offline';

/** Events the browser sends to the server. */
export interface ClientToServerEvents {
  /** Round trip used by clients to measure latency and clock offset (TOTP and timestamps need it). */
  'system:ping': (payload: { clientTime: number }, ack: Answer<{ clientTime: number; serverTime: number }>) => void;
  /** Sends a message; answered once it is stored, with its sequence number. Retries reuse `clientId`. */
  'message:send': (
    payload: { channel: string; clientId: string; epoch: number; body: string; keyPackets: string; threadRoot?: number; attachments?: string[] },
    ack: Answer<{ id: string; seq: number; createdAt: string; duplicate: boolean }>,
  ) => void;
  /** Everything after `afterSeq` in a channel (after a reconnect). */
  'channel:sync': (payload: { channel: string; afterSeq: number }, ack: Answer<SyncPage>) => void;
  /** Older messages, newest first (the main conversation, or a thread). */
  'message:history': (payload: { channel: string; beforeSeq?: number; threadRoot?: number; limit?: number }, ack: Answer<MessagePage>) => void;
  /** The channel's threads with replies, and the caller's unread count in each. */
  'channel:threads': (payload: { channel: string }, ack: Answer<ThreadSummary[]>) => void;
  /** The client received messages up to `seq`. */
  'receipt:delivered': (payload: { channel: string; seq: number }, ack?: Answer<{ deliveredSeq: number; readSeq: number }>) => void;
  /** The officer has seen messages up to `seq` (in a thread when `threadRoot` is set). */
  'receipt:read': (payload: { channel: string; seq: number; threadRoot?: number }, ack?: Answer<{ deliveredSeq: number; readSeq: number }>) => void;
  'typing:set': (payload: { channel: string; typing: boolean }) => void;
  'presence:set': (payload: { state: 'online' | 'away' }) => void;
}

/** A library item published (or given a new version) for the officer's audience. */
export interface LibraryNotice {
  id: string;
  title: string;
  category: string;
  version: number;
  publishedBy: string;
  at: string;
}

/** A training session scheduled for the officer's audience. */
export interface TrainingNotice {
  id: string;
  title: string;
  startsAt: string;
  mode: string;
}

/** The plain metadata of a broadcast that lists and notices show (never its content). */
export interface BroadcastMetadata {
  reference: string;
  country: string;
  kind: string;
  purpose: string;
  crimeArea: string;
  priority: string;
  handlingCode: string;
}

/** A broadcast arriving (or a reminder of one). */
export interface BroadcastNotice extends BroadcastMetadata {
  id: string;
  deadline: string;
  sentAt: string;
  /** `agency` for an agency's ILOs, `unit` for a unit passed it by its ILO. */
  level: 'agency' | 'unit';
  reminders?: number;
}

/** Where one addressee (an agency's ILOs, or a unit) has got with a broadcast. */
export interface TrackingRow {
  id: string;
  level: 'agency' | 'unit';
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  unitId?: string;
  unitName?: string;
  deliveredAt?: string;
  readAt?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** The signed acknowledgement, for the desk's own check. */
  acknowledgement?: { statement: string; signature: string; fingerprint: string };
  disseminatedAt?: string;
  units: number;
  respondedAt?: string;
  response?: string;
  responseAttachments: string[];
  deadline: string;
  overdue: boolean;
  reminders: number;
  escalatedAt?: string;
  /** The furthest state reached, for a badge. */
  state: DeliveryState;
}

/** Events the server pushes to the browser. */
export interface ServerToClientEvents {
  /** The server is going down for maintenance or restart; clients should expect a reconnect. */
  'system:shutdown': (payload: { reconnectAfterMs: number }) => void;
  /**
   * This process lost the service that carries messages between processes (Redis): sends fail
   * at once with `realtime-unavailable` until `system:restored`, after which clients resync.
   */
  'system:degraded': (payload: { service: 'realtime'; message: string }) => void;
  'system:restored': (payload: { service: 'realtime' }) => void;
  'message:new': (message: WireMessage) => void;
  'receipt:update': (payload: { channel: string; account: string; deliveredSeq: number; readSeq: number }) => void;
  'typing:update': (payload: { channel: string; account: string; typing: boolean }) => void;
  /** One colleague's presence changed. */
  'presence:update': (payload: { account: string; state: PresenceState }) => void;
  /** On connecting: every colleague of the officer's channels who is online or away (the others are offline). */
  'presence:snapshot': (payload: { presence: { account: string; state: PresenceState }[] }) => void;
  'library:published': (notice: LibraryNotice) => void;
  'training:scheduled': (notice: TrainingNotice) => void;
  'broadcast:new': (notice: BroadcastNotice) => void;
  'broadcast:reminder': (notice: BroadcastNotice) => void;
  /** A unit is past its deadline without an action-taken report (to its agency's ILOs). */
  'broadcast:escalated': (payload: { broadcast: string; reference: string; unitName: string; deadline: string }) => void;
  'broadcast:tracking': (payload: { broadcast: string; row: TrackingRow }) => void;
}

/** Events between server processes (none yet; the Redis adapter carries room emits). */
export type InterServerEvents = Record<string, never>;

/** Per-socket state the server keeps: who is connected, set at the handshake from the session. */
export interface SocketData {
  actor: Actor;
  connectedAt: number;
  /** When the socket's activity was last told to the session store. */
  touchedAt: number;
  channels: string[];
  /** What this socket's page says of its officer (the tab visible or not). */
  presence: 'online' | 'away';
}
