import type { AuditSink } from '../../access/audit-event.js';
import type { AuthorizeContext } from '../../access/authorize.js';
import { databaseOutage } from '../../db/availability.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SocketData } from '../../realtime/events.js';
import type { PresenceState } from './connect.events.js';
import type { PortalServer, PortalSocket } from '../../realtime/portal-server.js';
import { RateLimiter } from '../../realtime/rate-limiter.js';
import { socketContext, socketHandlers } from '../../realtime/socket-handler.js';
import { accountRoom } from '../../realtime/terminator.js';
import { channelMembers, findChannel, membershipsOf } from './channel-members.js';
import type { ConnectService } from './connect.service.js';
import {
  editSchema,
  historySchema,
  messageRefSchema,
  presenceSchema,
  receiptSchema,
  sendSchema,
  syncSchema,
  threadsSchema,
  typingSchema,
} from './connect.schema.js';
import { channelRoom } from '../../realtime/audience.js';
import { accountById } from '../accounts/account-lookups.js';
import type { MessageChanges } from './message-changes.js';
import type { MessageView } from './message-view.js';

/** Messages an officer may send per second (sustained) and at once. */
const SEND_RATE = { perSecond: 30, burst: 60 };
const TYPING_RATE = { perSecond: 3, burst: 6 };

/**
 * Connect's socket events. Each handler parses its payload, re-checks membership of the channel
 * (never trusting a room name from the client), calls the service, and answers `{ data }` or
 * `{ error }` with a stable code; nothing a client sends can throw past here.
 */
export function registerConnectHandlers(
  io: PortalServer,
  deps: { connect: ConnectService; changes: MessageChanges; audit: AuditSink; logger: Logger },
): void {
  const log = deps.logger.child({ component: 'connect' });
  const sends = new RateLimiter(SEND_RATE.perSecond, SEND_RATE.burst);
  const typing = new RateLimiter(TYPING_RATE.perSecond, TYPING_RATE.burst);
  /** Tells an officer's channels their state (each member's socket once, in every process). */
  const announcePresence = (data: SocketData, state: PresenceState): void => {
    if (data.channels.length > 0) io.to(data.channels.map(channelRoom)).emit('presence:update', { account: data.actor.userId, state });
  };

  /**
   * Presence is read from the sockets themselves, in every process (through the adapter with
   * Redis): an officer is online if any of their sockets is, away if all are, offline if none.
   */
  type SocketState = { readonly id: string; readonly data: Partial<SocketData> };
  const stateOf = (sockets: readonly SocketState[]): PresenceState =>
    sockets.length === 0 ? 'offline' : sockets.some((socket) => socket.data.presence === 'online') ? 'online' : 'away';
  /**
   * After one of an officer's sockets connected, changed or left, tells their channels the
   * officer's state if it changed: `beforeOf` gives their sockets as they were, from the sockets
   * now. Only changes are told: ten tabs opening are one "online", not ten messages to every
   * member of every channel.
   */
  const announceIfChanged = async (data: SocketData, beforeOf: (now: SocketState[]) => SocketState[]): Promise<void> => {
    const now = await io.in(accountRoom(data.actor.userId)).fetchSockets();
    const state = stateOf(now);
    if (stateOf(beforeOf(now)) !== state) announcePresence(data, state);
  };

  // Rooms are joined before the client hears 'connect', so a resync right after connecting cannot
  // miss a message sent in between.
  io.use((socket, next) => {
    void membershipsOf(socket.data.actor).then(
      async (memberships) => {
        const channels = memberships.map(({ channel }) => String(channel._id));
        socket.data.channels = channels;
        await socket.join(channels.map(channelRoom));
        next();
      },
      (error: unknown) => {
        log.error({ err: error }, 'could not join channels');
        next(new Error('unavailable'));
      },
    );
  });

  /**
   * Tells a newly connected officer who of their channels' members is online or away, in any
   * process, in one event: one per colleague was hundreds of packets per connection in a large
   * units channel (a reconnect storm of its members is that squared).
   */
  const tellPresenceOfColleagues = async (socket: PortalSocket): Promise<void> => {
    const others = socket.data.channels.length > 0 ? await io.in(socket.data.channels.map(channelRoom)).fetchSockets() : [];
    const byAccount = new Map<string, SocketState[]>();
    for (const other of others) {
      const account = other.data.actor?.userId;
      if (!account || account === socket.data.actor.userId) continue;
      const sockets = byAccount.get(account);
      if (sockets) sockets.push(other);
      else byAccount.set(account, [other]);
    }
    socket.emit('presence:snapshot', { presence: [...byAccount].map(([account, sockets]) => ({ account, state: stateOf(sockets) })) });
  };

  /** Alerts the members a new or edited message mentions, wherever in the portal they are. */
  const alertMentioned = async (message: MessageView, mentioned: readonly string[] = message.mentions ?? []): Promise<void> => {
    if (mentioned.length === 0) return;
    const senderName = (await accountById(message.sender))?.displayName ?? 'A colleague';
    io.to(mentioned.map(accountRoom)).emit('mention:new', { channel: message.channel, seq: message.seq, sender: message.sender, senderName });
  };
  const tellMentioned = (message: MessageView, mentioned?: readonly string[]): void => {
    alertMentioned(message, mentioned).catch((error: unknown) => log.warn({ err: error }, 'mention alert failed'));
  };

  const contextOf = (socket: PortalSocket): AuthorizeContext => socketContext(socket, deps.audit);
  const handle = socketHandlers(log);

  function receiptHandler(kind: 'delivered' | 'read') {
    return handle(receiptSchema, async (socket, input) => {
      const state = await deps.connect.receipt(contextOf(socket), kind, input);
      io.to(channelRoom(input.channel)).emit('receipt:update', { channel: input.channel, account: socket.data.actor.userId, ...state });
      return state;
    });
  }

  const handlers = {
    send: handle(sendSchema, async (socket, input) => {
      const actor = socket.data.actor;
      if (!sends.take(actor.userId)) throw new AppError(429, 'too-many-messages', 'You are sending too fast. Wait a moment.');
      // A send refused because a service is down is not the officer's: its retries do not use up their rate.
      const { message, duplicate } = await deps.connect.send(contextOf(socket), input).catch((error: unknown) => {
        if (error instanceof AppError ? error.status === 503 : databaseOutage(error)) sends.giveBack(actor.userId);
        throw error;
      });
      if (!duplicate) {
        io.to(channelRoom(message.channel)).emit('message:new', message);
        tellMentioned(message);
      }
      return { id: message.id, seq: message.seq, createdAt: message.createdAt, duplicate };
    }),
    sync: handle(syncSchema, (socket, input) => deps.connect.sync(contextOf(socket), input.channel, input.afterSeq)),
    history: handle(historySchema, (socket, input) => deps.connect.history(contextOf(socket), input)),
    threads: handle(threadsSchema, (socket, input) => deps.connect.threads(contextOf(socket), input.channel)),
    edit: handle(editSchema, async (socket, input) => {
      if (!sends.take(socket.data.actor.userId)) throw new AppError(429, 'too-many-messages', 'You are sending too fast. Wait a moment.');
      const { message, newlyMentioned } = await deps.changes.edit(contextOf(socket), input);
      io.to(channelRoom(message.channel)).emit('message:changed', message);
      tellMentioned(message, newlyMentioned);
      return message;
    }),
    remove: handle(messageRefSchema, async (socket, input) => {
      if (!sends.take(socket.data.actor.userId)) throw new AppError(429, 'too-many-messages', 'You are sending too fast. Wait a moment.');
      const message = await deps.changes.remove(contextOf(socket), input);
      io.to(channelRoom(message.channel)).emit('message:changed', message);
      return message;
    }),
    revisions: handle(messageRefSchema, (socket, input) => deps.changes.revisions(contextOf(socket), input)),
    delivered: receiptHandler('delivered'),
    read: receiptHandler('read'),
    typing: handle(typingSchema, async (socket, input) => {
      const actor = socket.data.actor;
      if (!typing.take(actor.userId)) return;
      const channel = await findChannel(input.channel);
      if (!(await channelMembers(channel)).includes(actor.userId)) return;
      socket.volatile.to(channelRoom(input.channel)).emit('typing:update', { channel: input.channel, account: actor.userId, typing: input.typing });
    }),
    presence: handle(presenceSchema, async (socket, input) => {
      const previous = socket.data.presence;
      if (previous === input.state) return;
      socket.data.presence = input.state;
      await announceIfChanged(socket.data, (now) => now.map((other) => (other.id === socket.id ? { id: other.id, data: { presence: previous } } : other)));
    }),
  };

  function onDisconnect(this: PortalSocket): void {
    // Gone from its rooms by now: the officer's other sockets, here or elsewhere, decide.
    announceIfChanged(this.data, (now) => [...now, this]).catch((error: unknown) => log.warn({ err: error }, 'presence update failed'));
  }

  io.on('connection', (socket) => {
    socket.data.presence = 'online';
    announceIfChanged(socket.data, (now) => now.filter((other) => other.id !== socket.id)).catch((error: unknown) =>
      log.warn({ err: error }, 'presence update failed'),
    );
    tellPresenceOfColleagues(socket).catch((error: unknown) => log.warn({ err: error }, 'presence snapshot failed'));
    socket.on('message:send', handlers.send);
    socket.on('channel:sync', handlers.sync);
    socket.on('message:history', handlers.history);
    socket.on('channel:threads', handlers.threads);
    socket.on('message:edit', handlers.edit);
    socket.on('message:delete', handlers.remove);
    socket.on('message:revisions', handlers.revisions);
    socket.on('receipt:delivered', handlers.delivered);
    socket.on('receipt:read', handlers.read);
    socket.on('typing:set', handlers.typing);
    socket.on('presence:set', handlers.presence);
    socket.on('disconnect', onDisconnect);
  });
}
