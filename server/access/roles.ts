/** The portal's roles. A person holds exactly one, and has one home organisation. */
export const ROLES = ['ncb-admin', 'ncb-officer', 'ilo', 'uo', 'trainer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Words for each role, as officers say them. */
export const ROLE_LABELS: Record<Role, string> = {
  'ncb-admin': 'NCB administrator (CBI)',
  'ncb-officer': 'NCB officer (CBI)',
  ilo: 'INTERPOL Liaison Officer',
  uo: 'Unit Officer',
  trainer: 'Trainer',
  auditor: 'Auditor',
};

/** Roles whose home is the CBI itself. */
export const CBI_ROLES: readonly Role[] = ['ncb-admin', 'ncb-officer', 'auditor'];

/** Agency types: the CBI as NCB, state and union-territory police, and central agencies. */
export const AGENCY_TYPES = ['ncb', 'state', 'union-territory', 'central'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];
