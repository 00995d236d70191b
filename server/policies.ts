import { installPolicy, type Action, type PolicyPart } from './access/policy.js';
import { accountsPolicy } from './modules/accounts/accounts.policy.js';
import { auditPolicy } from './modules/audit/audit.policy.js';
import { broadcastPolicy } from './modules/broadcast/broadcast.policy.js';
import { directoryPolicy } from './modules/directory/directory.policy.js';
import { libraryPolicy } from './modules/library/library.policy.js';
import { noticePolicy } from './modules/notices/notice.policy.js';
import { organisationPolicy } from './modules/organisation/organisation.policy.js';
import { referencePolicy } from './modules/references/reference.policy.js';
import { trainingPolicy } from './modules/training/training.policy.js';
import { groupsPolicy } from './sealed/groups/groups.policy.js';

const PARTS = [
  organisationPolicy,
  accountsPolicy,
  directoryPolicy,
  auditPolicy,
  groupsPolicy,
  libraryPolicy,
  trainingPolicy,
  broadcastPolicy,
  referencePolicy,
  noticePolicy,
] as const;

/** Every module's part of the access policy, as the portal installs them. */
export const POLICY_PARTS: readonly PolicyPart[] = PARTS;

// Every declared action has a rule: if one has none, this fails to compile and names it.
type RulesOf<P> = P extends { readonly rules: infer R } ? keyof R : never;
type Unanswered = Exclude<Action, RulesOf<(typeof PARTS)[number]>>;
const everyActionAnswered: [Unanswered] extends [never] ? true : Unanswered = true;
void everyActionAnswered;

/** Installs the access policy (once per process, before the first request). */
export function installPortalPolicy(): void {
  installPolicy(POLICY_PARTS);
}
