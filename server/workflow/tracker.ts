import { agencyIlosRoom, DESK_ROOMS, unitRoom } from '../realtime/audience.js';
import type { TrackingRow } from './tracking.events.js';
import { deliveryStateOf, isOverdue, type DeliveryRecord } from './delivery-fields.js';

const iso = (date: Date | null | undefined): string | undefined => (date ? date.toISOString() : undefined);

/** An agency's or a unit's code and name, as tracking rows and statements show them. */
export type PlaceName = { code: string; name: string };
export type PlaceNameLookup = (kind: 'agency' | 'unit', id: string) => Promise<{ code: string; name: string } | null | undefined>;

/** The rooms of the officers a delivery is for: the agency's ILOs, or the unit's officers. */
export const recipientRooms = (delivery: Pick<DeliveryRecord, 'level' | 'agency' | 'unit'>): string[] =>
  delivery.level === 'unit' && delivery.unit ? [unitRoom(String(delivery.unit))] : [agencyIlosRoom(String(delivery.agency))];

/** The rooms that follow a delivery's progress: the desk for agencies, the agency's ILOs for units. */
export const trackerRooms = (delivery: Pick<DeliveryRecord, 'level' | 'agency'>): string[] =>
  delivery.level === 'unit' ? [agencyIlosRoom(String(delivery.agency))] : DESK_ROOMS;

/** The collection of a module's deliveries, as the shared machinery uses it (a mongoose model). */
export interface DeliveryStore {
  updateOne(filter: { _id: string }, update: { $set: Record<string, unknown> }): { exec(): Promise<unknown> };
  find(filter: Record<string, unknown>): { lean<T>(): PromiseLike<T> };
}

/**
 * The deliveries of one kind of request (a module's delivery collection): moves them on, tells
 * whoever follows them, and presents them as rows of the tracking matrix. Agency and unit names
 * are kept for the process's life (they rarely change), so a matrix of hundreds of rows reads
 * each name once.
 */
export class DeliveryTracker<D extends DeliveryRecord> {
  readonly #names = new Map<string, Promise<PlaceName>>();

  constructor(
    readonly store: DeliveryStore,
    private readonly lookup: PlaceNameLookup,
    /** Tells the rooms that follow a delivery that its row changed. */
    private readonly announce: (rooms: string[], delivery: D, row: TrackingRow) => void,
  ) {}

  /** Sets fields of a delivery, and tells whoever follows it (unless `announce` is false). */
  async update(delivery: D, set: Record<string, unknown>, announce = true): Promise<D> {
    await this.store.updateOne({ _id: delivery._id }, { $set: set }).exec();
    const updated = { ...delivery, ...set } as D;
    if (announce) this.announce(trackerRooms(updated), updated, await this.row(updated));
    return updated;
  }

  /** A delivery as a row of the tracking matrix. */
  async row(delivery: D): Promise<TrackingRow> {
    const agency = await this.nameOf('agency', String(delivery.agency));
    const unit = delivery.unit ? await this.nameOf('unit', String(delivery.unit)) : undefined;
    const ack = delivery.acknowledgement;
    return {
      id: delivery._id,
      level: delivery.level === 'unit' ? 'unit' : 'agency',
      agencyId: String(delivery.agency),
      agencyCode: agency.code,
      agencyName: agency.name,
      ...(unit ? { unitId: String(delivery.unit), unitName: unit.name } : {}),
      deliveredAt: iso(delivery.deliveredAt),
      readAt: iso(delivery.readAt),
      acknowledgedAt: iso(ack?.signedAt),
      acknowledgedBy: ack ? String(ack.by) : undefined,
      ...(ack ? { acknowledgement: { statement: ack.statement, signature: ack.signature, fingerprint: ack.fingerprint } } : {}),
      disseminatedAt: iso(delivery.disseminatedAt),
      units: delivery.unitCount ?? 0,
      respondedAt: iso(delivery.respondedAt),
      response: delivery.response ? String(delivery.response) : undefined,
      responseAttachments: (delivery.responseAttachments ?? []).map(String),
      deadline: delivery.deadline.toISOString(),
      overdue: isOverdue(delivery),
      reminders: delivery.reminders ?? 0,
      escalatedAt: iso(delivery.escalatedAt),
      state: deliveryStateOf(delivery),
    };
  }

  /** Rows sorted as the matrix shows them: agencies first, then units, each by name. */
  async rows(deliveries: readonly D[]): Promise<TrackingRow[]> {
    const rows = await Promise.all(deliveries.map((delivery) => this.row(delivery)));
    return rows.sort((a, b) => (a.level === b.level ? (a.unitName ?? a.agencyName).localeCompare(b.unitName ?? b.agencyName) : a.level === 'agency' ? -1 : 1));
  }

  /** An agency's or unit's code and name. */
  nameOf(kind: 'agency' | 'unit', id: string): Promise<PlaceName> {
    const key = `${kind}:${id}`;
    let found = this.#names.get(key);
    if (!found) {
      found = this.lookup(kind, id).then((row) => ({ code: row?.code ?? '?', name: row?.name ?? 'Unknown' }));
      found.catch(() => this.#names.delete(key));
      this.#names.set(key, found);
    }
    return found;
  }
}
