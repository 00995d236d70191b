/**
 * The pre-submission check of a notice or diffusion request, run in the browser on the plaintext
 * before it leaves the unit, and again by each reviewer once they have opened it. Errors block
 * submission; warnings travel with the request (signed), and a reviewer must acknowledge them in
 * writing. Pure: the same answer wherever it runs, given the same content, day and term list.
 */
import type { z } from 'zod';
import { NOTICE_FORMS, type NoticeContent, type RedContent } from './forms.js';
import { NOTICE_ONLY, PERSON_KINDS, PHOTO_KINDS, type NoticeKind, type RequestType } from './kinds.js';
import { mentions, type CheckTerm } from './terms.js';

export interface Finding {
  /** Stable code: what statistics and tests count ("threshold", "article-3"). */
  readonly code: string;
  /** The field it is about, as a dotted path ("warrant.expiresOn"), or '' for the request. */
  readonly field: string;
  readonly message: string;
}

export interface CheckResult {
  readonly errors: Finding[];
  readonly warnings: Finding[];
  /** The content as the schema read it (when it passed the schema). */
  readonly content?: NoticeContent;
}

export interface CheckInput {
  readonly kind: NoticeKind;
  readonly type: RequestType;
  readonly content: unknown;
  /** Attachments, as the browser knows them (reviewers: the stored files' media types). */
  readonly attachments: readonly { readonly type: string }[];
  /** The day it is checked on, YYYY-MM-DD (the officer's; reviewers check on their own day). */
  readonly today: string;
  readonly terms: readonly CheckTerm[];
}

/** For prosecution: an offence punishable by at least two years. */
export const PROSECUTION_MIN_MONTHS = 24;
/** To serve a sentence: at least six months left to serve. */
export const SENTENCE_MIN_REMAINING_MONTHS = 6;

const finding = (code: string, field: string, message: string): Finding => ({ code, field, message });

export function checkRequest(input: CheckInput): CheckResult {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  if (input.type === 'diffusion' && NOTICE_ONLY.has(input.kind)) errors.push(finding('no-diffusion', '', 'This kind is published as a notice only; it has no diffusion.'));
  const parsed = (NOTICE_FORMS[input.kind] as z.ZodType).safeParse(input.content);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 40)) errors.push(finding('incomplete', issue.path.join('.'), issue.message));
    return { errors, warnings };
  }
  const content = parsed.data as NoticeContent;
  const photographs = input.attachments.filter((file) => file.type.startsWith('image/')).length;
  if (PHOTO_KINDS.has(input.kind) && photographs === 0) errors.push(finding('photograph', 'attachments', 'Attach a photograph: this kind cannot go without one.'));
  if (PERSON_KINDS.has(input.kind) && 'subject' in content) {
    const subject = content.subject;
    if (photographs === 0 && !subject.fingerprints && !subject.dna && subject.documents.length === 0) {
      errors.push(finding('identifier', 'subject', 'Give at least one identifier: a photograph, fingerprints, DNA or an identity document.'));
    }
  }
  if (input.kind === 'black' && 'identifiers' in content) {
    const { dna, fingerprints, dental } = content.identifiers;
    if (!dna && !fingerprints && !dental && photographs === 0) errors.push(finding('identifier', 'identifiers', 'Give at least one identifier: DNA, fingerprints, dental records or a photograph.'));
  }
  if (input.kind === 'red') checkRed(content as RedContent, input.today, errors, warnings);
  checkDates(content, input.today, errors, warnings);
  checkNames(content, errors);
  checkTerms(content, input.terms, warnings);
  return { errors, warnings, content };
}

/** Red: the thresholds, and a warrant or judgment that exists and is in force. */
function checkRed(content: RedContent, today: string, errors: Finding[], warnings: Finding[]): void {
  if (content.purpose === 'prosecution' && content.offence.maxPenaltyMonths < PROSECUTION_MIN_MONTHS) {
    errors.push(
      finding('threshold', 'offence.maxPenaltyMonths', `For prosecution the offence must be punishable by at least two years (${PROSECUTION_MIN_MONTHS} months); this one by ${content.offence.maxPenaltyMonths}.`),
    );
  }
  if (content.purpose === 'sentence') {
    if (content.warrant.type !== 'judgment') errors.push(finding('warrant', 'warrant.type', 'To serve a sentence, give the judgment.'));
    if (content.sentence.remainingMonths < SENTENCE_MIN_REMAINING_MONTHS) {
      errors.push(
        finding('threshold', 'sentence.remainingMonths', `To serve a sentence at least six months (${SENTENCE_MIN_REMAINING_MONTHS}) must remain; ${content.sentence.remainingMonths} remain.`),
      );
    }
    if (content.sentence.remainingMonths > content.sentence.imposedMonths) {
      errors.push(finding('dates', 'sentence.remainingMonths', 'More remains to be served than was imposed.'));
    }
  }
  if (content.warrant.issuedOn > today) errors.push(finding('warrant', 'warrant.issuedOn', 'The warrant or judgment is dated in the future.'));
  if (content.warrant.expiresOn && content.warrant.expiresOn <= today) errors.push(finding('warrant-expired', 'warrant.expiresOn', `The warrant expired on ${content.warrant.expiresOn}: get it renewed first.`));
  if (content.offence.committedOn && content.warrant.issuedOn < content.offence.committedOn) {
    errors.push(finding('dates', 'warrant.issuedOn', 'The warrant is dated before the offence.'));
  }
  if (content.extradition.some((country) => /^india$/i.test(country))) warnings.push(finding('extradition', 'extradition', 'India is listed as a country extradition would be sought from.'));
}

/** Dates that contradict each other or the calendar. */
function checkDates(content: NoticeContent, today: string, errors: Finding[], warnings: Finding[]): void {
  const birth = 'subject' in content ? content.subject.birthDate : '';
  if (birth && birth >= today) errors.push(finding('dates', 'subject.birthDate', 'The date of birth is not in the past.'));
  if (birth && birth < '1900-01-01') errors.push(finding('dates', 'subject.birthDate', 'The date of birth is before 1900.'));
  const later = (field: string, value: string, label: string): void => {
    if (!value) return;
    if (value > today) errors.push(finding('dates', field, `${label} is in the future.`));
    if (birth && value < birth) errors.push(finding('dates', field, `${label} is before the date of birth.`));
  };
  if ('offence' in content) later('offence.committedOn', content.offence.committedOn, 'The offence date');
  if ('lastSeen' in content) {
    later('lastSeen.on', content.lastSeen.on, 'The day last seen');
    if (content.reporting.reportedOn < content.lastSeen.on) errors.push(finding('dates', 'reporting.reportedOn', 'The report is dated before the person was last seen.'));
    later('reporting.reportedOn', content.reporting.reportedOn, 'The report date');
  }
  if ('body' in content) later('body.foundOn', content.body.foundOn, 'The day the body was found');
  if ('subject' in content && !birth) warnings.push(finding('quality', 'subject.birthDate', 'No date of birth: give an approximate one if known.'));
}

const LATIN = /^[\p{Script=Latin}\p{M}\p{N}\s'.,()-]+$/u;

/** Every name in Latin script, beside the original script where the original is not Latin. */
function checkNames(content: NoticeContent, errors: Finding[]): void {
  const names: [string, { latin: string; original: string }][] = [];
  if ('subject' in content) names.push(['subject.familyName', content.subject.familyName], ['subject.givenNames', content.subject.givenNames]);
  if ('entity' in content) names.push(['entity.name', content.entity.name]);
  for (const [field, name] of names) {
    if (!LATIN.test(name.latin)) errors.push(finding('script', `${field}.latin`, 'Write the name in Latin script here, and in its original script beside it.'));
  }
}

/** Every piece of free text, by field: what the term list is looked for in. */
function textsOf(value: unknown, path: string[] = []): [string, string][] {
  if (typeof value === 'string') return [[path.join('.'), value]];
  if (Array.isArray(value)) return value.flatMap((entry) => textsOf(entry, path));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, entry]) => textsOf(entry, [...path, key]));
  return [];
}

/** Article 3 and Article 2 flags: a warning per term and field where it appears. */
function checkTerms(content: NoticeContent, terms: readonly CheckTerm[], warnings: Finding[]): void {
  const texts = textsOf(content);
  for (const term of terms) {
    for (const [field, value] of texts) {
      if (mentions(value, term.term)) {
        warnings.push(finding(`article-${term.article}`, field, `“${term.term}” (Article ${term.article}: ${term.note}).`));
        break;
      }
    }
  }
}
