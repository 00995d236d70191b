import type { Actor } from '../../access/actor.js';
import type { AuditSink } from '../../access/audit-event.js';
import type { AuthorizeContext } from '../../access/authorize.js';
import type { AudienceNotifier } from '../../realtime/audience.js';
import type { TrackingRow } from '../../workflow/tracking.events.js';
import type { Priority } from '../../shared/vocabulary/priorities.js';
import type { SweepResult } from '../../workflow/reminder-sweep.js';
import { acknowledge, statementFor } from './acknowledge.js';
import { report, respond } from './answer.js';
import type { AnswerInput, ComposeInput, DisseminateInput, ListQuery, ReviewInput, SendInput, TransmissionInput } from './broadcast.schema.js';
import type { BroadcastView, InboxEntry, OutboxEntry } from './broadcast.view.js';
import { compose, update, type Drafted } from './compose.js';
import { BroadcastDesk } from './desk.js';
import { disseminate, unitKeys, type UnitKey } from './disseminate.js';
import { recipientKeys, sendToLeftOut, type Dispatched, type RecipientKey } from './dispatch.js';
import { close, transmit } from './follow-up.js';
import { inbox, outbox } from './lists.js';
import { markDelivered, open } from './receive.js';
import { review, send, submit } from './review.js';
import { sweep, tracking } from './track.js';
import { waitingFor, type BroadcastWaiting } from './waiting.js';

export type { BroadcastWaiting, RecipientKey, UnitKey };

/**
 * Broadcast's public face. Broadcasts are composed and reviewed at the CBI's desk, sent to
 * agencies' ILOs by opening the sealed body and attachments for their group keys, acknowledged
 * with signatures, passed on to units the same way (unless the handling code forbids it),
 * answered up the chain, and tracked. Each action lives in its own file, on the shared request
 * workflow (`server/workflow/`); this class only gives them their common desk.
 */
/** Something another module made from a broadcast (a reference opened from it), shown on its page. */
export interface BroadcastLink {
  readonly href: string;
  readonly label: string;
}

export class BroadcastService {
  readonly #desk: BroadcastDesk;
  readonly #linkSources: ((broadcastId: string) => Promise<BroadcastLink[]>)[] = [];

  constructor(notifier: AudienceNotifier, audit: AuditSink, reviewPriorities: ReadonlySet<Priority>) {
    this.#desk = new BroadcastDesk(notifier, audit, reviewPriorities);
  }

  /** Lets another module say what it made from a broadcast (References: the references opened from it). */
  registerLinks(source: (broadcastId: string) => Promise<BroadcastLink[]>): void {
    this.#linkSources.push(source);
  }

  /** What other modules made from a broadcast, for its page. */
  async linksOf(broadcastId: string): Promise<BroadcastLink[]> {
    return (await Promise.all(this.#linkSources.map((source) => source(broadcastId)))).flat();
  }

  /** Priorities whose broadcasts a second desk officer must approve before they go out. */
  get reviewPriorities(): ReadonlySet<Priority> {
    return this.#desk.reviewPriorities;
  }

  // Composing, reviewing, sending (the desk)
  compose = (context: AuthorizeContext, input: ComposeInput): Promise<Drafted> => compose(this.#desk, context, input);
  update = (context: AuthorizeContext, broadcastId: string, input: ComposeInput): Promise<Drafted> => update(this.#desk, context, broadcastId, input);
  submit = (context: AuthorizeContext, broadcastId: string): Promise<{ status: string }> => submit(this.#desk, context, broadcastId);
  review = (context: AuthorizeContext, broadcastId: string, input: ReviewInput): Promise<{ status: string } | Dispatched> => review(this.#desk, context, broadcastId, input);
  send = (context: AuthorizeContext, broadcastId: string, input: SendInput): Promise<Dispatched> => send(this.#desk, context, broadcastId, input);
  recipientKeys = (context: AuthorizeContext, broadcastId: string, options: { leftOut?: boolean } = {}): Promise<RecipientKey[]> =>
    recipientKeys(context, broadcastId, options);
  sendToLeftOut = (context: AuthorizeContext, broadcastId: string, input: SendInput): Promise<Dispatched> => sendToLeftOut(this.#desk, context, broadcastId, input);

  // Receiving and reading (agencies, units)
  markDelivered = (context: AuthorizeContext, broadcastIds: string[]): Promise<{ delivered: number }> => markDelivered(this.#desk, context, broadcastIds);
  open = (context: AuthorizeContext, broadcastId: string): Promise<BroadcastView> => open(this.#desk, context, broadcastId);
  inbox = (context: AuthorizeContext, query: ListQuery): Promise<{ items: InboxEntry[]; next?: string }> => inbox(context, query);
  outbox = (context: AuthorizeContext, query: ListQuery): Promise<{ items: OutboxEntry[]; next?: string }> => outbox(context, query);

  // Acknowledging, passing on, answering
  acknowledge = (context: AuthorizeContext, broadcastId: string, input: { signedAt: Date; signature: string }): Promise<TrackingRow> =>
    acknowledge(this.#desk, context, broadcastId, input);
  statementFor = (context: AuthorizeContext, broadcastId: string, signedAt: Date): Promise<{ statement: string; signedAt: string }> =>
    statementFor(this.#desk, context, broadcastId, signedAt);
  unitKeys = (context: AuthorizeContext, broadcastId: string): Promise<UnitKey[]> => unitKeys(context, broadcastId);
  disseminate = (context: AuthorizeContext, broadcastId: string, input: DisseminateInput): Promise<{ units: number }> => disseminate(this.#desk, context, broadcastId, input);
  report = (context: AuthorizeContext, broadcastId: string, input: AnswerInput): Promise<TrackingRow> => report(this.#desk, context, broadcastId, input);
  respond = (context: AuthorizeContext, broadcastId: string, input: AnswerInput): Promise<TrackingRow> => respond(this.#desk, context, broadcastId, input);

  // Following up and tracking (the desk; an ILO for its units)
  close = (context: AuthorizeContext, broadcastId: string, status: 'answered' | 'closed'): Promise<{ status: string }> => close(this.#desk, context, broadcastId, status);
  transmit = (context: AuthorizeContext, broadcastId: string, input: TransmissionInput): Promise<{ transmissions: number }> => transmit(this.#desk, context, broadcastId, input);
  tracking = (context: AuthorizeContext, broadcastId: string): Promise<TrackingRow[]> => tracking(this.#desk, context, broadcastId);
  sweep = (): Promise<SweepResult> => sweep(this.#desk);
  /** What waits for the officer (counts for the navigation and the home page). */
  waiting = (actor: Actor): Promise<BroadcastWaiting> => waitingFor(actor);
}
