import type { z } from 'zod';
import type { AuthorizeContext } from '../../access/authorize.js';
import { AppError, toErrorBody } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Ack, PresenceState, SocketData } from '../../realtime/events.js';
import type { PortalServer, PortalSocket } from '../../realtime/io.js';
import { RateLimiter } from '../../realtime/rate-limiter.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { Actor } from '../../access/actor.js';
import { channelMembers, channelsOf, findChannel } from './channel-members.js';
import type { ConnectService } from './connect.service.js';
import { historySchema, presenceSchema, receiptSchema, sendSchema, syncSchema, threadsSchema, typingSchema } from './connect.schema.js';


/** Room of a channel's connected members. */
export const channelRoom = (channelId: string): string => `channel:${channelId}`;

/** Ids of the channels an officer is a member of now. */
async function memberChannels(actor: Actor): Promise<string[]> {
  const ids: string[] = [];
  for (const channel of await channelsOf(actor)) {
    if ((await channelMembers(channel)).includes(actor.userId)) ids.push(String(channel._id));
  }
  return ids;
}

/** Messages an officer may send per second (sustained) and at once. */
const SEND_RATE = { perSecond: 30, burst: 60 };
const TYPING_RATE = { perSecond: 3, burst: 6 };

/**
 * Connect's socket events. Each handler parses its payload, re-checks membership of the channel
 * (never trusting a room name from the client), calls the service, and answers `{ data }` or
 * `{ error }` with a stable code; nothing a client sends can throw past here.
 */
export function registerConnectHandlers(io: PortalServer, deps: { connect: ConnectService; audit: AuditLog; logger: Logger }): void {
  const log = deps.logger.child({ component: 'connect' });
  const sends = new RateLimiter(SEND_RATE.perSecond, SEND_RATE.burst);
  const typing = new RateLimiter(TYPING_RATE.perSecond, TYPING_RATE.burst);
  const presence = new Map<string, { sockets: number; state: PresenceState }>();

  const announcePresence = (data: SocketData, state: PresenceState): void => {
    for (const channel of data.channels) io.to(channelRoom(channel)).emit('presence:update', { account: data.actor.userId, state });
  };

  // Rooms are joined before the client hears 'connect', so a resync right after connecting cannot
  // miss a message sent in between.
  io.use((socket, next) => {
    void memberChannels(socket.data.actor).then(
      async (channels) => {
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

  /** Tells a newly connected officer who of their channels' members is online (in this process). */
  const tellPresenceOfColleagues = async (channelIds: string[], tell: (account: string, state: PresenceState) => void): Promise<void> => {
    const told = new Set<string>();
    for (const channelId of channelIds) {
      for (const member of await channelMembers(await findChannel(channelId))) {
        const state = presence.get(member)?.state;
        if (state && !told.has(member)) {
          told.add(member);
          tell(member, state);
        }
      }
    }
  };

  const contextOf = (socket: PortalSocket): AuthorizeContext => ({
    actor: socket.data.actor,
    origin: { ip: socket.handshake.address, userAgent: socket.handshake.headers['user-agent'] },
    audit: deps.audit,
  });

  /**
   * A socket event handler: parses the input, runs, and answers through the acknowledgement,
   * whatever happens. Made once and shared by every socket (Socket.IO calls it with the socket as
   * `this`), so that ten thousand sockets do not each hold a copy of every handler.
   */
  const handle = <S extends z.ZodType, T>(schema: S, run: (socket: PortalSocket, input: z.output<S>) => Promise<T>) => {
    return function (this: PortalSocket, payload: unknown, ack?: (answer: Ack<T>) => void): void {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        reply({ error: { code: 'bad-request', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') } });
        return;
      }
      run(this, parsed.data).then(
        (data) => reply({ data }),
        (error: unknown) => {
          if (!(error instanceof AppError)) log.error({ err: error }, 'socket handler failed');
          reply({ error: { code: toErrorBody(error).body.error.code, message: toErrorBody(error).body.error.message } });
        },
      );
    };
  };

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
      const { message, duplicate } = await deps.connect.send(contextOf(socket), input);
      if (!duplicate) io.to(channelRoom(message.channel)).emit('message:new', message);
      return { id: message.id, seq: message.seq, createdAt: message.createdAt, duplicate };
    }),
    sync: handle(syncSchema, (socket, input) => deps.connect.sync(contextOf(socket), input.channel, input.afterSeq)),
    history: handle(historySchema, (socket, input) => deps.connect.history(contextOf(socket), input)),
    threads: handle(threadsSchema, (socket, input) => deps.connect.threads(contextOf(socket), input.channel)),
    delivered: receiptHandler('delivered'),
    read: receiptHandler('read'),
    typing: handle(typingSchema, async (socket, input) => {
      const actor = socket.data.actor;
      if (!typing.take(actor.userId)) return;
      const channel = await findChannel(input.channel);
      if (!(await channelMembers(channel)).includes(actor.userId)) return;
      socket.volatile.to(channelRoom(input.channel)).emit('typing:update', { channel: input.channel, account: actor.userId, typing: input.typing });
    }),
    presence: handle(presenceSchema, (socket, input) => {
      const entry = presence.get(socket.data.actor.userId);
      if (entry && entry.state !== input.state) {
        entry.state = input.state;
        announcePresence(socket.data, input.state);
      }
      return Promise.resolve();
    }),
  };

  function onDisconnect(this: PortalSocket): void {
    const entry = presence.get(this.data.actor.userId);
    if (!entry) return;
    entry.sockets -= 1;
    if (entry.sockets <= 0) {
      presence.delete(this.data.actor.userId);
      announcePresence(this.data, 'offline');
    }
  }

  io.on('connection', (socket) => {
    const actor = socket.data.actor;
    const entry = presence.get(actor.userId) ?? { sockets: 0, state: 'online' as PresenceState };
    entry.sockets += 1;
    presence.set(actor.userId, entry);
    if (entry.sockets === 1) announcePresence(socket.data, 'online');
    void tellPresenceOfColleagues(socket.data.channels, (account, state) => socket.emit('presence:update', { account, state })).catch(
      (error: unknown) => log.warn({ err: error }, 'presence snapshot failed'),
    );
    socket.on('message:send', handlers.send);
    socket.on('channel:sync', handlers.sync);
    socket.on('message:history', handlers.history);
    socket.on('channel:threads', handlers.threads);
    socket.on('receipt:delivered', handlers.delivered);
    socket.on('receipt:read', handlers.read);
    socket.on('typing:set', handlers.typing);
    socket.on('presence:set', handlers.presence);
    socket.on('disconnect', onDisconnect);
  });
}
