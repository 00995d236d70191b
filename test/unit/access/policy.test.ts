import { expect } from 'chai';
import type { Actor } from '../../../server/access/actor.js';
import { can, definePolicy, directoryAgencies, installPolicy, type Action, type Resource } from '../../../server/access/policy.js';
import type { AccountResource } from '../../../server/modules/accounts/accounts.policy.js';
import type { BroadcastResource } from '../../../server/modules/broadcast/broadcast.policy.js';
import type { PublicationResource } from '../../../server/modules/library/library.policy.js';
import { installPortalPolicy, POLICY_PARTS } from '../../../server/policies.js';
import type { GroupResource } from '../../../server/sealed/groups/groups.policy.js';
import type { AgencyType, Role } from '../../../server/access/roles.js';

const CBI = 'cbi';
const A = 'agency-a';
const B = 'agency-b';

function actor(role: Role, agencyId: string, unitId?: string): Actor {
  const agencyType: AgencyType = agencyId === CBI ? 'ncb' : 'state';
  return { userId: `${role}@${agencyId}`, username: role, displayName: role, role, agencyId, agencyType, unitId, sessionId: 's' };
}

const actors = {
  ncbAdmin: actor('ncb-admin', CBI),
  ncbOfficer: actor('ncb-officer', CBI),
  auditor: actor('auditor', CBI),
  trainer: actor('trainer', CBI),
  iloA: actor('ilo', A),
  uoA: actor('uo', A, 'unit-a1'),
};

const agency = (agencyId: string): Resource => ({ kind: 'agency', agencyId, agencyType: agencyId === CBI ? 'ncb' : 'state' });
const account = (role: Role, agencyId: string, extra: Partial<AccountResource> = {}): AccountResource => ({
  kind: 'account',
  role,
  agencyId,
  agencyType: agencyId === CBI ? 'ncb' : 'state',
  unitId: role === 'uo' ? `unit-${agencyId}` : undefined,
  ...extra,
});

const publication = (audience: { roles?: Role[]; agencies?: string[] }, extra: Partial<PublicationResource> = {}): PublicationResource => ({
  kind: 'publication',
  type: 'library-item',
  id: 'item',
  audience: { roles: audience.roles ?? [], agencies: audience.agencies ?? [] },
  ownerId: 'trainer@cbi',
  live: true,
  ...extra,
});

const broadcast = (extra: Partial<BroadcastResource> = {}): BroadcastResource => ({
  kind: 'broadcast',
  id: 'b',
  authorId: 'ncb-officer@cbi',
  status: 'sent',
  agencies: [A],
  units: ['unit-a1'],
  ...extra,
});
const group = (groupKind: GroupResource['groupKind'], agencyId: string | undefined): GroupResource => ({ kind: 'group', groupKind, agencyId, member: false });

/** [actor, action, resource, allowed] — the role × action × scope matrix. */
const matrix: [keyof typeof actors, Action, Resource | undefined, boolean][] = [
  ['ncbAdmin', 'agency:create', undefined, true],
  ['ncbOfficer', 'agency:create', undefined, false],
  ['iloA', 'agency:create', undefined, false],
  ['uoA', 'agency:create', undefined, false],

  ['ncbAdmin', 'unit:create', agency(B), true],
  ['ncbAdmin', 'unit:create', agency(CBI), false],
  ['iloA', 'unit:create', agency(A), true],
  ['iloA', 'unit:create', agency(B), false],
  ['uoA', 'unit:create', agency(A), false],
  ['ncbOfficer', 'unit:create', agency(A), false],

  ['ncbAdmin', 'account:create', account('ilo', A), true],
  ['ncbAdmin', 'account:create', account('ncb-officer', CBI), true],
  ['ncbAdmin', 'account:create', account('auditor', CBI), true],
  ['ncbAdmin', 'account:create', account('trainer', CBI), true],
  ['ncbAdmin', 'account:create', account('ncb-officer', A), false],
  ['ncbAdmin', 'account:create', account('ilo', CBI), false],
  ['ncbAdmin', 'account:create', account('uo', A), false],
  ['iloA', 'account:create', account('uo', A), true],
  ['iloA', 'account:create', account('uo', B), false],
  ['iloA', 'account:create', account('ilo', A), false],
  ['iloA', 'account:create', account('uo', A, { unitId: undefined }), false],
  ['uoA', 'account:create', account('uo', A), false],
  ['ncbOfficer', 'account:create', account('ilo', A), false],

  ['ncbAdmin', 'account:manage', account('uo', B, { accountId: 'x' }), true],
  ['ncbAdmin', 'account:manage', account('ncb-admin', CBI, { accountId: 'ncb-admin@cbi' }), false],
  ['iloA', 'account:manage', account('uo', A, { accountId: 'x' }), true],
  ['iloA', 'account:manage', account('uo', B, { accountId: 'x' }), false],
  ['iloA', 'account:manage', account('ilo', A, { accountId: 'x' }), false],
  ['uoA', 'account:manage', account('uo', A, { accountId: 'x' }), false],
  ['ncbOfficer', 'account:manage', account('uo', A, { accountId: 'x' }), false],

  ['uoA', 'account:read', account('uo', A, { accountId: 'uo@agency-a' }), true],
  ['uoA', 'account:read', account('uo', A, { accountId: 'other' }), false],

  ['ncbOfficer', 'agency:read', agency(B), true],
  ['iloA', 'agency:read', agency(A), true],
  ['iloA', 'agency:read', agency(B), false],
  ['uoA', 'agency:read', agency(B), false],
  ['auditor', 'agency:read', agency(A), false],

  ['auditor', 'audit:read', undefined, true],
  ['ncbAdmin', 'audit:read', undefined, false],
  ['iloA', 'audit:read', undefined, false],
  ['auditor', 'directory:search', undefined, false],
  ['uoA', 'directory:search', undefined, true],

  // The library and training: trainers and administrators run them; officers see what is meant for them.
  ['trainer', 'library:publish', undefined, true],
  ['ncbAdmin', 'training:schedule', undefined, true],
  ['iloA', 'library:publish', undefined, false],
  ['ncbOfficer', 'training:schedule', undefined, false],
  ['uoA', 'library:read', publication({}), true],
  ['uoA', 'library:read', publication({ roles: ['ilo'] }), false],
  ['iloA', 'library:read', publication({ roles: ['ilo'], agencies: [A] }), true],
  ['iloA', 'library:read', publication({ roles: ['ilo'], agencies: [B] }), false],
  ['uoA', 'library:read', publication({}, { live: false }), false],
  ['trainer', 'library:read', publication({ agencies: [B] }, { live: false }), true],
  ['trainer', 'library:manage', publication({}, { ownerId: 'trainer@cbi' }), true],
  ['trainer', 'library:manage', publication({}, { ownerId: 'someone-else' }), false],
  ['ncbAdmin', 'training:manage', publication({}, { ownerId: 'someone-else' }), true],
  ['iloA', 'training:manage', publication({}, { ownerId: 'ilo@agency-a' }), false],
  ['ncbOfficer', 'library:report', undefined, true],
  ['iloA', 'library:report', undefined, false],
  ['uoA', 'training:enrol', account('uo', A, { accountId: 'uo@agency-a' }), true],
  ['iloA', 'training:enrol', account('uo', A, { accountId: 'other-uo' }), true],
  ['iloA', 'training:enrol', account('uo', B, { accountId: 'foreign-uo' }), false],
  ['uoA', 'training:enrol', account('uo', A, { accountId: 'colleague' }), false],
  ['auditor', 'training:enrol', account('auditor', CBI, { accountId: 'auditor@cbi' }), false],

  // Broadcasts: the desk composes and follows; four eyes; agencies and units see what reached them.
  ['ncbOfficer', 'broadcast:compose', undefined, true],
  ['iloA', 'broadcast:compose', undefined, false],
  ['trainer', 'broadcast:compose', undefined, false],
  ['ncbOfficer', 'broadcast:edit', broadcast({ status: 'draft' }), true],
  ['ncbAdmin', 'broadcast:edit', broadcast({ status: 'draft' }), false],
  ['ncbOfficer', 'broadcast:edit', broadcast({ status: 'sent' }), false],
  ['ncbOfficer', 'broadcast:review', broadcast({ status: 'in-review' }), false],
  ['ncbAdmin', 'broadcast:review', broadcast({ status: 'in-review' }), true],
  ['ncbAdmin', 'broadcast:review', broadcast({ status: 'draft' }), false],
  ['iloA', 'broadcast:read', broadcast(), true],
  ['iloA', 'broadcast:read', broadcast({ agencies: [B] }), false],
  ['iloA', 'broadcast:read', broadcast({ status: 'in-review' }), false],
  ['uoA', 'broadcast:read', broadcast(), true],
  ['uoA', 'broadcast:read', broadcast({ units: ['unit-a2'] }), false],
  ['auditor', 'broadcast:read', broadcast(), false],
  ['iloA', 'broadcast:acknowledge', broadcast({ status: 'closed' }), false],
  ['iloA', 'broadcast:disseminate', broadcast(), true],
  ['uoA', 'broadcast:disseminate', broadcast(), false],
  ['uoA', 'broadcast:report', broadcast(), true],
  ['iloA', 'broadcast:report', broadcast(), false],
  ['iloA', 'broadcast:respond', broadcast({ agencies: [B] }), false],
  ['ncbOfficer', 'broadcast:close', broadcast({ status: 'answered' }), true],
  ['iloA', 'broadcast:close', broadcast(), false],
  ['iloA', 'broadcast:track', broadcast(), true],
  ['uoA', 'broadcast:track', broadcast(), false],
  ['ncbOfficer', 'broadcast:track', broadcast({ status: 'draft' }), false],

  // Passing sealed things on: down to one's units, and answers up the chain.
  ['iloA', 'group:forward-into', group('unit', A), true],
  ['iloA', 'group:forward-into', group('unit', B), false],
  ['iloA', 'group:forward-into', group('ncb-desk', undefined), true],
  ['uoA', 'group:forward-into', group('agency-ilos', A), true],
  ['uoA', 'group:forward-into', group('agency-ilos', B), false],
  ['uoA', 'group:forward-into', group('ncb-desk', undefined), false],
  ['ncbOfficer', 'group:forward-into', group('agency-ilos', B), true],
  ['ncbOfficer', 'group:forward-into', group('unit', B), false],
];

describe('access policy', () => {
  before(installPortalPolicy);

  for (const [who, action, resource, allowed] of matrix) {
    const what = resource && resource.kind !== 'portal' ? JSON.stringify(resource) : 'the portal';
    it(`${allowed ? 'lets' : 'refuses'} ${who} ${action} on ${what}`, () => {
      expect(can(actors[who], action, resource)).to.equal(allowed);
    });
  }

  it('scopes the directory: CBI sees all, an ILO its agency and the CBI, a UO its agency, an auditor nothing', () => {
    expect(directoryAgencies(actors.ncbOfficer, CBI)).to.equal('all');
    expect(directoryAgencies(actors.iloA, CBI)).to.deep.equal([A, CBI]);
    expect(directoryAgencies(actors.uoA, CBI)).to.deep.equal([A]);
    expect(directoryAgencies(actors.auditor, CBI)).to.deep.equal([]);
  });

  it('refuses an action no installed part answers, and refuses two parts answering the same action', () => {
    installPolicy(POLICY_PARTS.filter((part) => !('broadcast:compose' in part.rules)));
    expect(can(actors.ncbOfficer, 'broadcast:compose')).to.equal(false);
    const rival = definePolicy({ rules: { 'audit:read': () => true } });
    expect(() => installPolicy([...POLICY_PARTS, rival])).to.throw(/Two policy parts answer for audit:read/);
    installPortalPolicy();
    expect(can(actors.ncbOfficer, 'broadcast:compose')).to.equal(true);
  });
});
