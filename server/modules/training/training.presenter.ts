import type { Actor } from '../../access/actor.js';
import { can } from '../../access/policy.js';
import { audienceLabel } from '../library/library.presenter.js';
import type { TrainingSessionDocument } from './training.model.js';
import { seated, sessionResource, waiting } from './training.service.js';

/** A training session as it leaves the server, seen by one officer. */
export interface SessionView {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The course it is a session of ('' for a one-off). */
  readonly course: string;
  readonly mode: string;
  readonly modeLabel: string;
  readonly venue: string;
  /** The meeting link, for officers holding a seat and for the trainer only. */
  readonly onlineUrl: string | undefined;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly capacity: number;
  readonly seatsTaken: number;
  readonly seatsLeft: number;
  readonly waitingCount: number;
  readonly cancelled: boolean;
  readonly ownerName: string;
  readonly audienceLabel: string;
  readonly materials: readonly string[];
  /** The officer's own place: a seat, the waiting list (with position), or nothing. */
  readonly mine: { readonly status: 'enrolled' | 'waiting'; readonly position?: number; readonly attended: boolean } | undefined;
  readonly canManage: boolean;
}

export function presentSession(session: TrainingSessionDocument, actor: Actor): SessionView {
  const seats = seated(session);
  const queue = waiting(session);
  const entry = session.enrolments.find((candidate) => String(candidate.account) === actor.userId);
  const canManage = can(actor, 'training:manage', sessionResource(session));
  const position = entry?.status === 'waiting' ? queue.indexOf(entry) + 1 : undefined;
  return {
    id: String(session._id),
    title: session.title,
    description: session.description ?? '',
    course: session.course ?? '',
    mode: session.mode,
    modeLabel: session.mode === 'online' ? 'Online' : 'In person',
    venue: session.venue ?? '',
    onlineUrl: canManage || entry?.status === 'enrolled' ? (session.onlineUrl ?? undefined) : undefined,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    capacity: session.capacity,
    seatsTaken: seats.length,
    seatsLeft: Math.max(0, session.capacity - seats.length),
    waitingCount: queue.length,
    cancelled: session.status === 'cancelled',
    ownerName: session.ownerName,
    audienceLabel: audienceLabel(session.audience),
    materials: session.materials.map(String),
    mine: entry ? { status: entry.status, ...(position ? { position } : {}), attended: entry.attended ?? false } : undefined,
    canManage,
  };
}
