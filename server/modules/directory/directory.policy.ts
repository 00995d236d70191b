import { definePolicy } from '../../access/policy.js';

declare module '../../access/policy.js' {
  interface PolicyActions {
    'directory:search': true;
  }
}

/** The directory: every officer but the auditor searches it (within {@link directoryAgencies}). */
export const directoryPolicy = definePolicy({
  rules: { 'directory:search': (actor) => actor.role !== 'auditor' },
});
