import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Actor } from '../../../server/access/actor.js';
import { DeskRegister } from '../../../server/workflow/queues/desk-register.js';
import { QueueLog } from '../../../server/workflow/queues/queue-log.js';
import { Reference, type ReferenceDocument } from '../../../server/modules/references/reference.model.js';
import { LOG_BUDGET, listQuery, listQueue, type QueuePage } from '../../../server/modules/references/reference.queries.js';
import type { Portal } from '../../../server/portal.js';
import { parseInput } from '../../../server/validation.js';
import { sharedPortal } from '../../support/portal.js';

/**
 * The queue log against the database directly: an agency of its own whose references are written
 * straight to the database, as many as a page's search looks through and more.
 */
describe('INTERPOL references: queues read from the log of moves', function () {
  this.timeout(120_000);
  const COUNT = LOG_BUDGET + 40;
  const agency = new mongoose.Types.ObjectId();
  const ilo = { userId: String(new mongoose.Types.ObjectId()), username: 'log-ilo', displayName: 'Log ILO', role: 'ilo', agencyId: String(agency), agencyType: 'state', unitId: undefined, sessionId: 'test' } as Actor;
  const log = new QueueLog('reference');
  const base = Date.now() - COUNT * 60_000;
  const ids: mongoose.Types.ObjectId[] = [];
  let portal: Portal;

  /** A reference of the agency that went through its ILO, moved `index` minutes after the first: closed, but three at the ILO's desk (one overdue). */
  const referenceAt = (index: number) => {
    const at = new Date(base + index * 60_000);
    const atIlo = index >= 1 && index <= 3;
    return {
      _id: new mongoose.Types.ObjectId(),
      direction: 'outgoing' as const,
      status: atIlo ? ('at-ilo' as const) : ('closed' as const),
      author: new mongoose.Types.ObjectId(),
      originDesk: 'ilo' as const,
      agency,
      holder: atIlo ? { desk: 'ilo', agency } : { desk: 'none' },
      reached: ['ilo'],
      ...(atIlo ? { deadline: new Date(index === 1 ? Date.now() - 60_000 : Date.now() + 86_400_000) } : {}),
      countries: [{ country: index === 0 ? 'Peru' : 'Thailand', ncb: 'NCB', transmissions: [], replies: [] }],
      assistance: 'locate-person',
      case: { fir: `${index}/2026` },
      crimeArea: 'economic-fraud',
      priority: index % 2 ? 'urgent' : 'routine',
      handling: { code: 'H0', restrictions: '' },
      grading: { source: 'B', information: '2' },
      body: new mongoose.Types.ObjectId(),
      attachments: [],
      steps: [],
      hops: [],
      terms: [],
      revision: 0,
      movedAt: at,
      createdAt: at,
      updatedAt: at,
    };
  };
  const page = (query: Record<string, string>, byLog: boolean): Promise<QueuePage> => listQueue(ilo, parseInput(listQuery, { queue: 'agency', ...query }), byLog ? log : undefined);

  before(async () => {
    portal = await sharedPortal();
    const docs = Array.from({ length: COUNT }, (_, index) => referenceAt(index));
    await Reference.collection.insertMany(docs);
    await log.append(docs.map((doc) => ({ keys: [`agency:${String(agency)}`], request: doc._id, at: doc.movedAt })));
    ids.push(...docs.map((doc) => doc._id));
  });

  it('pages newest move first, as a query does, a lookup by _id at a time', async () => {
    let [fromLog, fromQuery] = await Promise.all([page({}, true), page({}, false)]);
    for (let pages = 0; pages < 3; pages += 1) {
      expect(fromLog.items.map((row) => row.id)).to.deep.equal(fromQuery.items.map((row) => row.id));
      expect(fromLog.items).to.have.length(25);
      [fromLog, fromQuery] = await Promise.all([page({ cursor: fromLog.next! }, true), page({ cursor: fromQuery.next! }, false)]);
    }
    expect(fromLog.items[0]!.id, 'the 76th newest').to.equal(String(ids[COUNT - 76]));
  });

  it('shows a reference that moved again at the top, once, and skips where it was', async () => {
    const moved = ids[10]!;
    const at = new Date();
    await log.append([{ keys: [`agency:${String(agency)}`], request: moved, at }]);
    await Reference.updateOne({ _id: moved }, { $set: { movedAt: at } });
    const first = await page({ limit: '5' }, true);
    expect(first.items[0]!.id).to.equal(String(moved));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const next = await page({ limit: '100', ...(cursor ? { cursor } : {}) }, true);
      seen.push(...next.items.map((row) => row.id));
      cursor = next.next;
    } while (cursor);
    expect(seen.filter((id) => id === String(moved))).to.have.length(1);
    expect(seen).to.have.length(COUNT);
  });

  it('stops a page short after looking through its budget of entries, and goes on from there', async () => {
    const first = await page({ country: 'Peru' }, true);
    expect(first.items, 'the one match is older than the budget reaches').to.be.empty;
    expect(first.searched).to.equal(LOG_BUDGET);
    expect(first.next).to.be.a('string');
    const second = await page({ country: 'Peru', cursor: first.next! }, true);
    expect(second.items.map((row) => row.id)).to.deep.equal([String(ids[0])]);
    expect(second.next, 'the end of the queue').to.equal(undefined);
    const refused = await page({ cursor: 'not-a-cursor' }, true).then(() => undefined, (error: Error) => error);
    expect(refused?.message).to.match(/not valid/);
  });

  it('rebuilds the log and the desks’ lists from the references, as for a database written before them', async () => {
    const before = (await page({ limit: '100' }, true)).items.map((row) => row.id);
    expect(await portal.services.references.waiting(ilo), 'written straight to the database: not on the desk’s list').to.deep.equal({ atDesk: 0, overdue: 0 });
    const all = () => Reference.find({}).sort({ movedAt: 1, updatedAt: 1 }).lean<ReferenceDocument[]>().cursor();
    await log.rebuild(all());
    await new DeskRegister('reference').rebuild(all());
    expect((await page({ limit: '100' }, true)).items.map((row) => row.id)).to.deep.equal(before);
    expect(await portal.services.references.waiting(ilo)).to.deep.equal({ atDesk: 3, overdue: 1 });
  });
});
