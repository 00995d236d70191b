/** An ILO passing a broadcast on to units of its agency, with instructions, unless its handling code forbids it. */
import mongoose from 'mongoose';
import { authorize, deny, type AuthorizeContext } from '../../access/authorize.js';
import { now } from '../../clock.js';
import { checkKeyPackets } from '../../crypto/packets.js';
import { AppError, badRequest } from '../../errors.js';
import { allowsOnwardSharing } from '../../shared/vocabulary/handling.js';
import { checkOpening, openForGroups } from '../../workflow/openings.js';
import { recipientRooms, trackerRooms } from '../../workflow/tracker.js';
import { latestEpoch, latestEpochs } from '../../sealed/groups/groups.service.js';
import { createItem } from '../../sealed/items/items.service.js';
import { unitsByIds, unitsOfAgency } from '../organisation/organisation.lookups.js';
import { agencyDeliveryId, BroadcastDelivery, unitDeliveryId, type BroadcastDeliveryDocument } from './broadcast.model.js';
import { copiedMetadata, trusted } from './broadcast.queries.js';
import type { DisseminateInput } from './broadcast.schema.js';
import { noticeOf } from './broadcast.view.js';
import { bindingOf, findBroadcast, ilosGroup, resourceOf, unitGroup, type BroadcastDesk } from './desk.js';

/** A unit an ILO may pass a broadcast to, with its key (if its officers have one yet). */
export interface UnitKey {
  readonly unitId: string;
  readonly code: string;
  readonly name: string;
  readonly epoch?: number;
  readonly publicKey?: string;
  readonly disseminated: boolean;
}

/** The units of the ILO's agency, with their keys, to pass a broadcast on to. */
export async function unitKeys(context: AuthorizeContext, broadcastId: string): Promise<UnitKey[]> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:disseminate', await resourceOf(broadcast, context.actor));
  const units = await unitsOfAgency(context.actor.agencyId);
  const done = new Set(
    (await BroadcastDelivery.find({ broadcast: broadcast._id, level: 'unit', agency: context.actor.agencyId }, { unit: 1 }).lean()).map((row) => String(row.unit)),
  );
  return Promise.all(
    units.map(async (unit) => {
      const epoch = await latestEpoch(unitGroup(String(unit._id)));
      return {
        unitId: String(unit._id),
        code: unit.code,
        name: unit.name,
        disseminated: done.has(String(unit._id)),
        ...(epoch ? { epoch: epoch.epoch, publicKey: epoch.publicKey } : {}),
      };
    }),
  );
}

/**
 * Passes a broadcast on to units of the ILO's agency, with instructions: the body, attachments
 * and instructions are opened for each unit's key (nothing is uploaded again).
 */
export async function disseminate(desk: BroadcastDesk, context: AuthorizeContext, broadcastId: string, input: DisseminateInput): Promise<{ units: number }> {
  const broadcast = await findBroadcast(broadcastId);
  await authorize(context, 'broadcast:disseminate', await resourceOf(broadcast, context.actor));
  const agencyId = context.actor.agencyId;
  if (!allowsOnwardSharing(broadcast.handling.code)) {
    await deny(context, 'broadcast.disseminate', { type: 'broadcast', id: broadcastId }, {
      details: { handlingCode: broadcast.handling.code },
      error: new AppError(403, 'handling-forbids', `Handling code ${broadcast.handling.code} forbids passing this broadcast on without the provider’s permission.`),
    });
  }
  const deadline = input.deadline ?? broadcast.deadline!;
  if (deadline.getTime() > broadcast.deadline!.getTime()) {
    throw badRequest('Give units a deadline no later than the agency’s.', [{ field: 'deadline', message: 'is after the broadcast’s deadline' }]);
  }
  const agencyDelivery = agencyDeliveryId(broadcastId, agencyId);
  return desk.locks.run(agencyDelivery, async () => {
    const unitIds = Object.keys(input.units);
    const units = await unitsByIds(unitIds, agencyId);
    if (units.length !== unitIds.length) throw badRequest('Choose units of your own agency.', [{ field: 'units', message: 'includes a unit outside your agency' }]);
    const already = await BroadcastDelivery.countDocuments({ _id: trusted({ $in: unitIds.map((unit) => unitDeliveryId(broadcastId, agencyId, unit)) }) });
    if (already > 0) throw new AppError(409, 'already-disseminated', 'Some of these units already have this broadcast.');
    const attachments = broadcast.attachments.map(String);
    const epochs = await latestEpochs(units.map((unit) => unitGroup(String(unit._id))));
    const forwards = await Promise.all(
      units.map(async (unit) => {
        const opening = input.units[String(unit._id)]!;
        const checked = await checkOpening(unitGroup(String(unit._id)), opening, attachments, unit.name, epochs);
        await checkKeyPackets(opening.instructions, 'instructions', checked.keyIds);
        return { ...checked, instructions: Buffer.from(opening.instructions) };
      }),
    );
    // Stored only once every opening has passed its checks.
    const instructions = await createItem(context, { group: ilosGroup(agencyId), ...input.instructions }, { boundTo: bindingOf(broadcastId) });
    const at = now();
    const instructionsId = new mongoose.Types.ObjectId(instructions.id);
    await openForGroups(context, broadcast.body, attachments, forwards, at, (forward) => [
      { kind: 'item', record: instructionsId, group: forward.group, epoch: forward.epoch, keyPackets: forward.instructions },
    ]);
    const deliveries = units.map((unit) => ({
      _id: unitDeliveryId(broadcastId, agencyId, String(unit._id)),
      broadcast: broadcast._id,
      level: 'unit' as const,
      agency: agencyId,
      unit: unit._id,
      instructions: instructions.id,
      disseminatedBy: context.actor.userId,
      ...copiedMetadata(broadcast, at, deadline),
    }));
    await BroadcastDelivery.insertMany(deliveries);
    const parent = await BroadcastDelivery.findById(agencyDelivery).lean<BroadcastDeliveryDocument>();
    if (parent) await desk.deliveries.update(parent, { unitCount: parent.unitCount + units.length, ...(parent.disseminatedAt ? {} : { disseminatedAt: at }) });
    for (const delivery of deliveries) {
      const stored = { ...delivery, reminders: 0, agency: new mongoose.Types.ObjectId(agencyId) } as unknown as BroadcastDeliveryDocument;
      desk.notifier.notifyRooms(recipientRooms(stored), 'broadcast:new', noticeOf(stored));
      desk.notifier.notifyRooms(trackerRooms(stored), 'broadcast:tracking', { broadcast: broadcastId, row: await desk.deliveries.row(stored) });
    }
    await desk.record(context, 'broadcast.disseminated', broadcastId, { units: units.length });
    return { units: units.length };
  });
}
