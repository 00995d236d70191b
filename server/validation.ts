import { z } from 'zod';
import { badRequest } from './errors.js';
import { withoutDirectionControls } from './shared/text.js';

/**
 * Validates untrusted input (a body, a query, a socket payload) against a zod schema. Unknown keys
 * are stripped by the schemas, so `$`-operators and `__proto__` never travel further; on failure
 * the client gets a 400 naming each bad field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw badRequest(
    'Some of the information sent is missing or not valid.',
    result.error.issues.slice(0, 20).map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })),
  );
}

/** A MongoDB object id as it arrives in a path, a query or a body. */
export const objectIdInput = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

/**
 * Text that names something or someone (a display name, a title), checked by `schema` once its
 * direction controls are gone: a name shows as it is stored.
 */
export const nameInput = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (typeof value === 'string' ? withoutDirectionControls(value) : value), schema);

/** A list filter's date (a form sends an empty field for none). */
export const optionalDate = z.preprocess((value) => (value === '' ? undefined : value), z.coerce.date().optional());
/** A list filter's choice among `values` (a form sends an empty field for any). */
export const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess((value) => (value === '' ? undefined : value), z.enum(values).optional());
