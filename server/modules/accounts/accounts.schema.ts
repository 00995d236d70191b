import { z } from 'zod';
import { ROLES } from '../../access/roles.js';
import { nameInput, objectIdInput } from '../../validation.js';

export const createAccountSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'Use 3-40 lower-case letters, digits, dots, dashes or underscores, such as ilo.mh.'),
  displayName: nameInput(z.string().trim().min(2, 'Enter the officer’s name.').max(100)),
  designation: nameInput(z.string().trim().max(100).default('')),
  email: z.union([z.literal(''), z.email('Enter a valid e-mail address, or leave it empty.')]).default(''),
  phone: z
    .string()
    .trim()
    .regex(/^[+0-9 ()-]{0,30}$/, 'Use digits, spaces and + ( ) - only.')
    .default(''),
  role: z.enum(ROLES, { error: 'Choose a role.' }),
  agencyId: objectIdInput,
  unitId: objectIdInput.optional(),
});
export type CreateAccountInput = z.output<typeof createAccountSchema>;

export const accountActionSchema = z.object({
  action: z.enum(['lock', 'unlock', 'disable', 're-enrol'], { error: 'Choose lock, unlock, disable or re-enrol.' }),
});
export type AccountAction = z.output<typeof accountActionSchema>['action'];
