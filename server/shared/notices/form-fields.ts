/**
 * A kind's form, read from its zod schema: the groups and fields the browser draws, shows filled
 * in on a request's page, and prints, in the schema's order and words. Whatever a schema says a
 * field is (required, a date, a choice, one entry per line) the form says too.
 */
import type { z } from 'zod';
import { describedAs } from './forms.js';

export type InputShape = 'text' | 'long' | 'lines' | 'date' | 'number' | 'select';

export interface FormField {
  readonly type: 'field';
  /** Dotted path in the content ("warrant.issuedOn"): the input's name. */
  readonly path: string;
  readonly label: string;
  readonly input: InputShape;
  readonly required: boolean;
  readonly options?: readonly string[];
}

export interface FormGroup {
  readonly type: 'group';
  readonly path: string;
  readonly label: string;
  readonly children: readonly (FormField | FormGroup)[];
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  format?: string;
  entries?: Record<string, string>;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** What lies under defaults and optional wrappers, and whether the field may be left empty. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = schema;
  let optional = false;
  for (let def = defOf(inner); (def.type === 'default' || def.type === 'optional') && def.innerType; def = defOf(inner)) {
    optional = true;
    inner = def.innerType;
  }
  return { inner, optional };
}

function fieldOf(path: string, schema: z.ZodType): FormField | FormGroup {
  const { label, shape, required } = describedAs(schema);
  const { inner, optional } = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'object') {
    const shapeOf = (inner as z.ZodObject).shape as Record<string, z.ZodType>;
    return { type: 'group', path, label, children: Object.entries(shapeOf).map(([key, child]) => fieldOf(path ? `${path}.${key}` : key, child)) };
  }
  const base = { type: 'field' as const, path, label: label || path, required: required === true || !optional };
  if (shape === 'lines') return { ...base, input: 'lines' };
  if (shape === 'long') return { ...base, input: 'long' };
  if (def.type === 'enum') return { ...base, input: 'select', options: Object.values(def.entries ?? {}) };
  if (def.type === 'number') return { ...base, input: 'number' };
  const dated = def.type === 'union' ? (def.options ?? []).some((option) => defOf(option).format === 'date') : def.format === 'date';
  return { ...base, input: dated ? 'date' : 'text' };
}

/**
 * The form of a kind: its nested objects as groups, and the fields at its top level gathered in a
 * first group (labelled `topLabel`).
 */
export function formOf(schema: z.ZodObject, topLabel = 'Request'): FormGroup[] {
  const top: FormField[] = [];
  const groups: FormGroup[] = [];
  const shape: Record<string, z.ZodType> = schema.shape;
  for (const [key, child] of Object.entries(shape)) {
    const entry = fieldOf(key, child);
    if (entry.type === 'group') groups.push(entry);
    else top.push(entry);
  }
  return top.length > 0 ? [...groups, { type: 'group', path: '', label: topLabel, children: top }] : groups;
}

/** The value at a dotted path of a content. */
export function valueAt(content: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), content);
}

/** A content built from each field's value, by path (lines split, empty lines dropped). */
export function contentFrom(groups: readonly FormGroup[], read: (field: FormField) => string): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  const put = (path: string, value: unknown): void => {
    const keys = path.split('.');
    let target = content;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[keys.at(-1)!] = value;
  };
  const visit = (entry: FormField | FormGroup): void => {
    if (entry.type === 'group') return entry.children.forEach(visit);
    const raw = read(entry);
    if (entry.input === 'lines') put(entry.path, raw.split('\n').map((line) => line.trim()).filter(Boolean));
    else if (entry.input === 'number') put(entry.path, raw === '' ? undefined : raw);
    else put(entry.path, raw);
  };
  groups.forEach(visit);
  return content;
}

/** A field's value as a person reads it ("—" when empty). */
export function shownValue(value: unknown): string {
  if (Array.isArray(value)) return value.length > 0 ? value.map((entry) => shownValue(entry)).join('; ') : '—';
  if (typeof value === 'string') return value === '' ? '—' : value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '—';
}

/** Each field's label by path, for naming a finding of the check ("Issued on" for warrant.issuedOn). */
export function labelsOf(groups: readonly FormGroup[]): Map<string, string> {
  const labels = new Map<string, string>();
  const visit = (entry: FormField | FormGroup): void => {
    if (entry.path) labels.set(entry.path, entry.label);
    if (entry.type === 'group') entry.children.forEach(visit);
  };
  groups.forEach(visit);
  return labels;
}
