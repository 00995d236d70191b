/** Connect's socket events, added to the portal's event contract, and what they carry. */
import type { Answer } from '../../realtime/events.js';

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
  /** Members the sender mentioned. */
  mentions?: string[];
  createdAt: string;
  /** Set once the sender edited it: when, and how many earlier versions are kept. */
  editedAt?: string;
  edits?: number;
  /** Set once the sender deleted it (body and key packets are then empty). */
  deleted?: true;
}

/** How long after sending an officer may edit or delete a message. */
export const MESSAGE_CHANGE_WINDOW_MS = 15 * 60_000;

/** An earlier version of an edited message, sealed as it was. */
export interface WireRevision {
  epoch: number;
  senderFingerprint: string;
  body: string;
  keyPackets: string;
  writtenAt: string;
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

/** A colleague one may start a direct conversation with (GET /api/channels/direct/candidates). */
export interface DirectCandidate {
  readonly id: string;
  readonly displayName: string;
  readonly designation: string;
  readonly role: string;
  readonly agencyName: string;
}

export type PresenceState = 'online' | 'away' | 'offline';

declare module '../../realtime/events.js' {
  interface ClientToServerEvents {
    /** Sends a message; answered once it is stored, with its sequence number. Retries reuse `clientId`. */
    'message:send': (
      payload: {
        channel: string;
        clientId: string;
        epoch: number;
        body: string;
        keyPackets: string;
        threadRoot?: number;
        attachments?: string[];
        mentions?: string[];
      },
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
    /** Replaces the text of one's own message, sealed again, within {@link MESSAGE_CHANGE_WINDOW_MS}. */
    'message:edit': (
      payload: { channel: string; id: string; epoch: number; body: string; keyPackets: string; mentions?: string[] },
      ack: Answer<WireMessage>,
    ) => void;
    /** Deletes one's own message within {@link MESSAGE_CHANGE_WINDOW_MS}. */
    'message:delete': (payload: { channel: string; id: string }, ack: Answer<WireMessage>) => void;
    /** The earlier versions of an edited message, newest first. */
    'message:revisions': (payload: { channel: string; id: string }, ack: Answer<WireRevision[]>) => void;
    'typing:set': (payload: { channel: string; typing: boolean }) => void;
    'presence:set': (payload: { state: 'online' | 'away' }) => void;
  }
  interface ServerToClientEvents {
    'message:new': (message: WireMessage) => void;
    /** A message was edited or deleted: as it is now. */
    'message:changed': (message: WireMessage) => void;
    /** To the officer mentioned, on every page. */
    'mention:new': (payload: { channel: string; seq: number; sender: string; senderName: string }) => void;
    /** A direct conversation with the officer was opened: their channel list has it now. */
    'channel:added': (payload: { channel: string }) => void;
    'receipt:update': (payload: { channel: string; account: string; deliveredSeq: number; readSeq: number }) => void;
    'typing:update': (payload: { channel: string; account: string; typing: boolean }) => void;
    /** One colleague's presence changed. */
    'presence:update': (payload: { account: string; state: PresenceState }) => void;
    /** On connecting: every colleague of the officer's channels who is online or away (the others are offline). */
    'presence:snapshot': (payload: { presence: { account: string; state: PresenceState }[] }) => void;
  }
}
