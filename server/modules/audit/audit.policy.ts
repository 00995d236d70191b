import { definePolicy } from '../../access/policy.js';

declare module '../../access/policy.js' {
  interface PolicyActions {
    'audit:read': true;
  }
}

/** The audit log: read by the auditor only. */
export const auditPolicy = definePolicy({
  rules: { 'audit:read': (actor) => actor.role === 'auditor' },
});
