import type { Actor } from '../access/actor.js';
import type { Audience } from '../access/policy.js';
import type { PortalServer } from './portal-server.js';
import type { ServerToClientEvents } from './events.js';

/** Rooms every socket joins from its officer's place in the hierarchy, so an audience can be reached. */
export function audienceRoomsOf(actor: Pick<Actor, 'role' | 'agencyId' | 'unitId'>): string[] {
  const rooms = ['officers', `role:${actor.role}`, `agency:${actor.agencyId}`, `agency:${actor.agencyId}|role:${actor.role}`];
  return actor.unitId ? [...rooms, `unit:${actor.unitId}`] : rooms;
}

/** The rooms of the officers who handle a broadcast at one level: an agency's ILOs, or a unit's officers. */
export const agencyIlosRoom = (agencyId: string): string => `agency:${agencyId}|role:ilo`;
export const unitRoom = (unitId: string): string => `unit:${unitId}`;
/** The CBI's desk, which follows every broadcast. */
export const DESK_ROOMS = ['role:ncb-officer', 'role:ncb-admin'];
/** The room of a Connect channel's members' sockets. */
export const channelRoom = (channelId: string): string => `channel:${channelId}`;

/** The rooms of the officers of a group with a key (`ncb-desk`, `agency-ilos:<id>`, `unit:<id>`, `channel:<id>`). */
export function roomsOfGroup(group: string): string[] {
  const [kind, id] = group.split(':');
  if (group === 'ncb-desk') return DESK_ROOMS;
  if (kind === 'agency-ilos' && id) return [agencyIlosRoom(id)];
  if (kind === 'unit' && id) return [unitRoom(id)];
  if (kind === 'channel' && id) return [channelRoom(id)];
  return [];
}

/**
 * The rooms that together hold exactly an audience's officers: everyone, some roles, some
 * agencies, or the roles within some agencies (Socket.IO sends once to a socket in several).
 */
export function roomsOfAudience(audience: Audience): string[] {
  const { roles, agencies } = audience;
  if (roles.length === 0 && agencies.length === 0) return ['officers'];
  if (agencies.length === 0) return roles.map((role) => `role:${role}`);
  if (roles.length === 0) return agencies.map((agency) => `agency:${agency}`);
  return agencies.flatMap((agency) => roles.map((role) => `agency:${agency}|role:${role}`));
}

type ServerEvent = keyof ServerToClientEvents;

/**
 * Tells an audience's connected officers that something was published for them. Bound to the
 * Socket.IO server once it exists; goes through the adapter, so with Redis it reaches every process.
 */
export class AudienceNotifier {
  #io: PortalServer | undefined;

  attach(io: PortalServer): void {
    this.#io = io;
  }

  notify<E extends ServerEvent>(audience: Audience, event: E, ...payload: Parameters<ServerToClientEvents[E]>): void {
    this.#io?.to(roomsOfAudience(audience)).emit(event, ...payload);
  }

  /** Puts the connected sockets of the officers in `rooms` in `room` as well (in every process). */
  joinRoom(rooms: string[], room: string): void {
    if (rooms.length > 0) this.#io?.in(rooms).socketsJoin(room);
  }

  /** Tells the officers in `rooms` (each socket once, however many of the rooms it is in). */
  notifyRooms<E extends ServerEvent>(rooms: string[], event: E, ...payload: Parameters<ServerToClientEvents[E]>): void {
    if (rooms.length > 0) this.#io?.to(rooms).emit(event, ...payload);
  }
}
