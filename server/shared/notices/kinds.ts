/**
 * The INTERPOL notices and diffusions an Indian agency may ask the CBI (India's NCB) to request,
 * and the words officers know them by. A request is either a notice (published by INTERPOL's
 * General Secretariat after its review) or a diffusion (sent by the NCB itself to the countries it
 * chooses); a diffusion takes the form of the notice it stands for.
 */
export const NOTICE_KINDS = ['red', 'yellow', 'blue', 'black', 'green', 'orange', 'purple', 'silver', 'un-special'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  red: 'Red',
  yellow: 'Yellow',
  blue: 'Blue',
  black: 'Black',
  green: 'Green',
  orange: 'Orange',
  purple: 'Purple',
  silver: 'Silver',
  'un-special': 'UN Security Council Special',
};

/** What each kind asks of the world, in one line (the form's heading explains it). */
export const NOTICE_KIND_PURPOSES: Record<NoticeKind, string> = {
  red: 'Locate and provisionally arrest a person wanted for prosecution or to serve a sentence, with a view to extradition.',
  yellow: 'Locate a missing person, or identify a person unable to identify themselves.',
  blue: 'Collect information about a person’s identity, location or activities in relation to a crime.',
  black: 'Seek information on an unidentified body.',
  green: 'Warn about a person’s criminal activities where they are likely to repeat them.',
  orange: 'Warn of an event, person, object or process that is a serious and imminent threat.',
  purple: 'Seek or provide information on modus operandi, objects, devices and concealment methods.',
  silver: 'Trace and locate assets linked to a person’s criminal activities (pilot).',
  'un-special': 'Alert to individuals and entities subject to UN Security Council sanctions.',
};

/** A notice goes through the General Secretariat; a diffusion goes straight to chosen countries. */
export const REQUEST_TYPES = ['notice', 'diffusion'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** Kinds with no diffusion form: the UN Special Notice is INTERPOL's and the Security Council's alone. */
export const NOTICE_ONLY: ReadonlySet<NoticeKind> = new Set(['un-special']);

/** Kinds about a person: they need at least one identifier (photograph, fingerprints, DNA or an identity document). */
export const PERSON_KINDS: ReadonlySet<NoticeKind> = new Set(['red', 'yellow', 'blue', 'green', 'silver']);

/** Kinds that cannot go without a photograph (of the person, or of the body). */
export const PHOTO_KINDS: ReadonlySet<NoticeKind> = new Set(['red', 'yellow', 'black']);

/** How a request is named: "Red notice", "Yellow diffusion". */
export const requestLabel = (kind: NoticeKind, type: RequestType): string => `${NOTICE_KIND_LABELS[kind]} ${type}`;
