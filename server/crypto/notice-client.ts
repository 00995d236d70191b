/**
 * The officer's side of notice requests, on the request crypto shared with Broadcast and
 * References: the request (kind, particulars, facts, and what files go with it) is sealed here as
 * JSON for the author's desk; the pre-submission check runs here on the plaintext, and its result
 * is signed in the submission's statement beside the digest of the ciphertext it was run on (the
 * server checks both); each decision is signed over the statement the server rebuilds.
 */
import { checkRequest, type CheckResult, type Finding } from '../shared/notices/check.js';
import type { NoticeKind, RequestType } from '../shared/notices/kinds.js';
import type { CheckTerm } from '../shared/notices/terms.js';
import { base64 } from './group-keyring.js';
import { MissingKeysError, SealedRequestClient, type SealedParts } from './sealed-request-client.js';

/** What is sealed: the kind, the form's content, and the name and media type of each attached file (photographs count). */
export interface NoticeEnvelope {
  readonly kind: NoticeKind;
  readonly type: RequestType;
  readonly content: unknown;
  readonly files: readonly { readonly name: string; readonly type: string }[];
}

/** The plain metadata of a draft, as the API takes it. */
export interface NoticeMetadata {
  readonly crimeArea: string;
  readonly priority: string;
  readonly deadline?: string;
  readonly countries?: readonly string[];
}

/** A decision's own facts, as the API takes them (see decisionSchema on the server). */
export type NoticeDecision =
  | { decision: 'forward'; comment?: string; acknowledgement?: string }
  | { decision: 'return' | 'reject' | 'refuse' | 'ask' | 'suspend' | 'withdraw' | 'cancel'; comment: string }
  | { decision: 'send-to-gs'; reference: string; medium?: string; comment?: string; acknowledgement?: string }
  | { decision: 'circulate'; countries: string[]; comment?: string; acknowledgement?: string }
  | { decision: 'publish'; noticeNumber: string; comment?: string }
  | { decision: 'extend'; until: string; comment: string };

/** The check's settings, as the portal serves them. */
export interface CheckSettings {
  readonly terms: readonly CheckTerm[];
  readonly revision: number;
}

/** A request as the API shows it, as far as the client needs it. */
export interface NoticeParts extends SealedParts {
  readonly id: string;
  readonly kind: NoticeKind;
  readonly type: RequestType;
  readonly bodyDigest: string;
}

/** `sha256:<hex>` of bytes: the digest the server keeps of a sealed body. */
export async function digestOf(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The day of `date` as YYYY-MM-DD in India (the check's "today"). */
export const indianDay = (date: Date): string => new Date(date.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10);

export class CheckFailedError extends Error {
  constructor(readonly errors: Finding[]) {
    super(`The check found ${errors.length} problem(s) to correct first: ${errors.map((error) => `${error.field || 'request'}: ${error.message}`).join(' ')}`);
    this.name = 'CheckFailedError';
  }
}

/** Notice crypto for one signed-in officer. */
export class NoticeClient extends SealedRequestClient {
  /** The time decisions are signed at (the portal's clock in tests that move it). */
  clock: () => Date = () => new Date();

  /** Drafts a request: `metadata` in clear, the envelope sealed for `group` (the author's desk), files uploaded there. */
  async draft(group: string, metadata: NoticeMetadata, envelope: NoticeEnvelope, attachments: string[] = []): Promise<{ id: string }> {
    const body = await this.seal(group, JSON.stringify(envelope));
    return this.api.post('/api/notices', { ...metadata, kind: envelope.kind, type: envelope.type, body, attachments });
  }

  /** Replaces a draft's metadata, sealed envelope and files. */
  async update(noticeId: string, group: string, metadata: NoticeMetadata, envelope: NoticeEnvelope, attachments: string[] = []): Promise<{ id: string }> {
    const body = await this.seal(group, JSON.stringify(envelope));
    return this.api.post(`/api/notices/${encodeURIComponent(noticeId)}/draft`, { ...metadata, kind: envelope.kind, type: envelope.type, body, attachments });
  }

  /** A request as the API shows it (its plain facts and the ids of its sealed parts). */
  view(noticeId: string): Promise<NoticeParts> {
    return this.api.get<NoticeParts>(`/api/notices/${encodeURIComponent(noticeId)}`);
  }

  /** The check's term list and its revision. */
  settings(): Promise<CheckSettings> {
    return this.api.get<CheckSettings>('/api/notices/settings');
  }

  /**
   * Opens a request and runs the check on what it says (as its author before submitting, or a
   * reviewer after): the envelope, the check's result, and the digest of the ciphertext read.
   */
  async openAndCheck(noticeId: string, settings?: CheckSettings): Promise<{ envelope: NoticeEnvelope; result: CheckResult; digest: string; view: NoticeParts }> {
    const view = await this.view(noticeId);
    const item = await this.api.get<{ body: string }>(`/api/items/${encodeURIComponent(view.body)}`);
    const digest = await digestOf(base64.decode(item.body));
    const { text } = await this.read(view.body);
    const envelope = JSON.parse(text) as NoticeEnvelope;
    const { terms } = settings ?? (await this.settings());
    const result = checkRequest({ kind: envelope.kind, type: envelope.type, content: envelope.content, attachments: envelope.files, today: indianDay(this.clock()), terms });
    // The files the sealed request names are the ones attached (the photographs it counted are there).
    if (envelope.files.length !== view.attachments.length) {
      result.errors.push({ code: 'files', field: 'attachments', message: `The request names ${envelope.files.length} file(s) but ${view.attachments.length} are attached.` });
    }
    return { envelope, result, digest, view };
  }

  /**
   * Submits a draft: the check is run here on the stored content, and the submission is refused
   * here if it finds errors; otherwise its warnings are signed, with the digest of the content, and
   * the request is opened for the next desk.
   */
  async submit(noticeId: string, comment = ''): Promise<unknown> {
    const settings = await this.settings();
    const { result, digest, view } = await this.openAndCheck(noticeId, settings);
    if (result.errors.length > 0) throw new CheckFailedError(result.errors);
    if (digest !== view.bodyDigest) throw new Error('The stored request is not the one this browser read: open it again.');
    const check = { warnings: result.warnings, termsRevision: settings.revision };
    const opening = await this.#openingForNext(view);
    return this.#decide(noticeId, { decision: 'submit', comment, check, ...(opening ? { opening } : {}) }, digest);
  }

  /** Takes a decision at a desk: signed; a forward opens the request for the CBI desk. */
  async decide(noticeId: string, decision: NoticeDecision): Promise<unknown> {
    const view = await this.view(noticeId);
    const opening = decision.decision === 'forward' ? await this.#openingForNext(view) : undefined;
    return this.#decide(noticeId, { comment: '', ...decision, ...(opening ? { opening } : {}) }, view.bodyDigest);
  }

  /** Signs a decision over the statement the server rebuilds (checked to name the request, the decision and the content), and sends it. */
  async #decide(noticeId: string, facts: Record<string, unknown> & { decision: string }, digest: string): Promise<unknown> {
    const signedAt = this.clock();
    const { opening, ...stated } = facts;
    const path = `/api/notices/${encodeURIComponent(noticeId)}`;
    const { statement } = await this.api.post<{ statement: string }>(`${path}/statement`, { ...stated, signedAt: signedAt.toISOString() });
    for (const line of [`Request: ${noticeId}`, `Decision: ${facts.decision}`, `Sealed content: ${digest}`]) {
      if (!statement.includes(`\n${line}\n`)) throw new Error(`The statement to sign does not say “${line}”.`);
    }
    const signature = await this.sign(statement, signedAt);
    return this.api.post(`${path}/decisions`, { ...facts, signedAt: signedAt.toISOString(), signature });
  }

  /** Key packets opening the request for the next desk up (none for the CBI's own). */
  async #openingForNext(view: NoticeParts) {
    const { targets } = await this.api.get<{ targets: { group: string; epoch?: number; publicKey?: string }[] }>(`/api/notices/${encodeURIComponent(view.id)}/targets`);
    const target = targets[0];
    if (!target) return undefined;
    if (!target.publicKey) throw new MissingKeysError([target.group]);
    const opened = await this.openFor(view, [{ id: target.group, label: target.group, epoch: target.epoch, publicKey: target.publicKey }]);
    return opened[target.group];
  }
}
