import { z } from 'zod';
import { ROLES } from '../../access/roles.js';
import { nameInput, objectIdInput } from '../../validation.js';

/** The library's shelves, as the CBI Academy files its material. */
export const CATEGORIES = ['manuals-sops', 'legal-frameworks', 'forms-templates', 'training-decks', 'videos', 'circulars'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  'manuals-sops': 'Manuals and SOPs',
  'legal-frameworks': 'Legal frameworks',
  'forms-templates': 'Forms and templates',
  'training-decks': 'Training decks',
  videos: 'Videos',
  circulars: 'Circulars',
};

/** Languages of material: INTERPOL's working languages and the languages of India's police forces. */
export const LANGUAGES = {
  en: 'English',
  hi: 'Hindi',
  fr: 'French',
  es: 'Spanish',
  ar: 'Arabic',
  as: 'Assamese',
  bn: 'Bengali',
  gu: 'Gujarati',
  kn: 'Kannada',
  ml: 'Malayalam',
  mr: 'Marathi',
  or: 'Odia',
  pa: 'Punjabi',
  ta: 'Tamil',
  te: 'Telugu',
  ur: 'Urdu',
} as const;
export type Language = keyof typeof LANGUAGES;
const languageCodes = Object.keys(LANGUAGES) as [Language, ...Language[]];

export const title = nameInput(z.string().trim().min(3, 'Enter a title of at least 3 characters.').max(160, 'Use at most 160 characters.'));
export const description = z.string().trim().max(4000, 'Use at most 4,000 characters.').default('');

export const audienceSchema = z
  .object({
    roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
    agencies: z.array(objectIdInput).max(100, 'Choose at most 100 agencies, or everyone.').default([]),
  })
  .default({ roles: [], agencies: [] })
  .transform((audience) => ({ roles: [...new Set(audience.roles)], agencies: [...new Set(audience.agencies)] }));
export type AudienceInput = z.output<typeof audienceSchema>;

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} .-]{0,39}$/u, 'Tags are 1-40 letters, digits, spaces, dots or dashes.');

/** What a trainer says about a document when publishing it (sent as the `metadata` part, JSON). */
export const publishSchema = z.object({
  title,
  description,
  category: z.enum(CATEGORIES, { error: 'Choose a category.' }),
  tags: z
    .array(tag)
    .max(20, 'Use at most 20 tags.')
    .default([])
    .transform((tags) => [...new Set(tags)]),
  language: z.enum(languageCodes, { error: 'Choose a language.' }).default('en'),
  audience: audienceSchema,
});
export type PublishInput = z.output<typeof publishSchema>;

/** What a trainer says about a new version (the `metadata` part). */
export const versionSchema = z.object({
  note: z.string().trim().max(500, 'Use at most 500 characters.').default(''),
});
export type VersionInput = z.output<typeof versionSchema>;

export const updateStatusSchema = z.object({ published: z.boolean() });

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-30');

/** Browsing and searching the library (query string). */
export const libraryQuery = z.object({
  q: z.string().trim().max(100).optional(),
  category: z.enum(CATEGORIES).optional().catch(undefined),
  tag: tag.optional().catch(undefined),
  language: z.enum(languageCodes).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  /** Opaque cursor from the previous page. */
  after: z
    .string()
    .regex(/^\d{13}_[a-f0-9]{24}$/)
    .optional()
    .catch(undefined),
});
export type LibraryQuery = z.output<typeof libraryQuery>;

export const versionParam = z.coerce.number().int().min(1).max(10_000);
