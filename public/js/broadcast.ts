import { MissingKeysError } from '../../server/crypto/broadcast-client.js';
import type { TrackingRow } from '../../server/workflow/tracking.events.js';
import { DELIVERY_STATE_LABELS } from '../../server/shared/vocabulary/delivery-states.js';
import { api } from './lib/api.js';
import { textOf, valuesOf } from './lib/forms.js';
import { initLayout } from './lib/layout.js';
import { localTime, openBroadcastSession, uploadFiles, type BroadcastSession } from './broadcast/common.js';
import { onClick, onSubmit, showAttachments, showSealed } from './lib/request-session.js';
import { enhanceCheckList } from './lib/check-list.js';

interface PageData {
  id: string;
  body: string;
  attachments: string[];
  instructions?: string;
  agencyId: string;
  unitId: string;
  /** The reader is the CBI's desk (which reads agencies' responses, not units' reports to their ILOs). */
  desk: boolean;
}

interface UnitKey {
  unitId: string;
  name: string;
  code: string;
  epoch?: number;
  publicKey?: string;
  disseminated: boolean;
}

const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document): T | null => root.querySelector<T>(selector);



/** The tracking matrix: one row per addressee, kept current from the server's live updates. */
class TrackingTable {
  readonly #rows = new Map<string, TrackingRow>();
  readonly #verified = new Map<string, string>();

  constructor(
    private readonly session: BroadcastSession,
    private readonly body: HTMLElement,
    private readonly answers: HTMLElement,
    /** Whether an answer is sealed for this reader: the desk opens agencies' responses only. */
    private readonly mayRead: (row: TrackingRow) => boolean,
  ) {}

  set(row: TrackingRow): void {
    this.#rows.set(row.id, row);
    this.#render();
    if (row.acknowledgement && !this.#verified.has(row.id)) {
      this.#verified.set(row.id, '…');
      this.session.client.verifyAcknowledgement(row.acknowledgement).then(
        () => this.#verified.set(row.id, '✓ signature verified'),
        () => this.#verified.set(row.id, '✗ signature does not verify'),
      ).finally(() => this.#render());
    }
  }

  #render(): void {
    const rows = [...this.#rows.values()].sort((a, b) =>
      a.level === b.level ? (a.unitName ?? a.agencyName).localeCompare(b.unitName ?? b.agencyName) : a.level === 'agency' ? -1 : 1,
    );
    this.body.replaceChildren(
      ...rows.map((row) => {
        const line = document.createElement('tr');
        line.dataset['row'] = row.id;
        line.dataset['state'] = row.state;
        if (row.overdue) line.className = 'tracking__overdue';
        const cell = (text: string, title?: string): HTMLTableCellElement => {
          const td = document.createElement('td');
          td.textContent = text;
          if (title) td.title = title;
          return td;
        };
        const who = row.level === 'unit' ? `${row.unitName ?? ''}` : `${row.agencyName} (${row.agencyCode})`;
        line.append(
          cell(`${who} — ${DELIVERY_STATE_LABELS[row.state]}${row.overdue ? ' · OVERDUE' : ''}${row.reminders ? ` · ${row.reminders} reminder(s)` : ''}`),
          cell(localTime(row.deliveredAt)),
          cell(localTime(row.readAt)),
          cell(row.acknowledgedAt ? `${localTime(row.acknowledgedAt)} ${this.#verified.get(row.id) ?? ''}` : '', row.acknowledgement?.statement),
          cell(row.level === 'agency' && row.units ? String(row.units) : ''),
          cell(localTime(row.respondedAt)),
          cell(localTime(row.deadline)),
        );
        return line;
      }),
    );
    this.#showAnswers(rows.filter((row) => row.response && this.mayRead(row)));
  }

  /** A panel for each answer the reader may open (the desk: agencies' responses; an ILO: its units' reports too). */
  #showAnswers(rows: TrackingRow[]): void {
    for (const row of rows) {
      if (this.answers.querySelector(`[data-answer-of="${CSS.escape(row.id)}"]`)) continue;
      const box = document.createElement('article');
      box.className = 'panel';
      box.dataset['answerOf'] = row.id;
      const title = document.createElement('h3');
      title.textContent = row.level === 'unit' ? `Action-taken report: ${row.unitName ?? ''}` : `Response: ${row.agencyName}`;
      const text = document.createElement('div');
      text.className = 'message__text';
      const signature = document.createElement('p');
      signature.className = 'muted small';
      const files = document.createElement('ul');
      files.className = 'list';
      box.append(title, signature, text, files);
      this.answers.append(box);
      void showSealed(this.session, row.response!, text, signature).then(() => showAttachments(this.session, row.responseAttachments, files));
    }
  }
}

/** One broadcast: decrypts it, and offers what the reader's place in the chain allows. */
export async function init(): Promise<void> {
  const socket = initLayout();
  const root = $<HTMLElement>('[data-broadcast-page]');
  if (!root) return;
  const data = JSON.parse(root.dataset['broadcastJson'] ?? '{}') as PageData;
  const path = `/api/broadcasts/${encodeURIComponent(data.id)}`;
  const session = await openBroadcastSession(root);

  await showSealed(session, data.body, $('[data-content]')!, $('[data-signature]')!);
  void showAttachments(session, data.attachments, $('[data-attachments]')!);
  const instructions = $('[data-instructions]');
  if (instructions && data.instructions) void showSealed(session, data.instructions, instructions);

  // Desk: send, submit, review.
  // When some agencies' ILOs have no key yet, the officer may send to the others, saying so.
  const offerLeaveOut = (error: unknown): never => {
    if (error instanceof MissingKeysError) for (const button of document.querySelectorAll<HTMLElement>('[data-leave-out]')) button.hidden = false;
    throw error;
  };
  onClick($('[data-send]'), () => session.client.send(data.id).catch(offerLeaveOut));
  onClick($('[data-submit-review]'), () => api('POST', `${path}/submit`, {}));
  onClick($('[data-approve]'), () => session.client.send(data.id, 'reviewer').catch(offerLeaveOut));
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-leave-out]')) {
    onClick(button, () => session.client.send(data.id, button.dataset['leaveOut'] === 'reviewer' ? 'reviewer' : 'author', { leaveOutMissing: true }));
  }
  // Agencies left out for lack of a key, once their ILOs have one.
  onClick($('[data-send-left-out]'), () => session.client.sendToLeftOut(data.id));
  onSubmit($('[data-return]'), (form) => api('POST', `${path}/review`, { decision: 'return', comment: textOf(new FormData(form), 'comment') }));

  // Acknowledgement: show the statement, then sign it.
  const statement = $('[data-statement]');
  if (statement) {
    session.client.acknowledgementStatement(data.id).then(
      (answer) => (statement.textContent = answer.statement),
      (error: unknown) => (statement.textContent = error instanceof Error ? error.message : 'The statement could not be prepared.'),
    );
  }
  onClick($('[data-acknowledge]'), () => session.client.acknowledge(data.id, new Date()));

  // Dissemination: the agency's units, with their keys.
  const unitsBox = $('[data-units]');
  if (unitsBox) {
    const { units } = await api<{ units: UnitKey[] }>('GET', `${path}/units`);
    unitsBox.replaceChildren(
      ...(units.length === 0
        ? [Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Your agency has no units yet.' })]
        : units.map((unit) => {
            const label = document.createElement('label');
            const box = document.createElement('input');
            box.type = 'checkbox';
            box.name = 'units';
            box.value = unit.unitId;
            box.checked = !unit.disseminated && Boolean(unit.publicKey);
            box.disabled = unit.disseminated || !unit.publicKey;
            label.append(box, ` ${unit.name}${unit.disseminated ? ' (already has it)' : unit.publicKey ? '' : ' (no key yet: its officers have not signed in)'}`);
            return label;
          })),
    );
    if (units.length > 1) enhanceCheckList(unitsBox, 'a unit');
    onSubmit($('[data-disseminate]'), (form) => {
      const chosen = new Set(valuesOf(form, 'units'));
      if (chosen.size === 0) throw new Error('Choose at least one unit.');
      const deadline = textOf(new FormData(form), 'deadline');
      return session.client.disseminate(
        data.id,
        data.agencyId,
        units.filter((unit) => chosen.has(unit.unitId)),
        textOf(new FormData(form), 'instructions'),
        deadline ? new Date(deadline) : undefined,
      );
    });
  }

  // Answering up the chain: a unit's report to its ILOs, an agency's response to the desk.
  onSubmit($('[data-answer]'), async (form) => {
    const kind = form.dataset['kind'] === 'reports' ? 'reports' : 'response';
    const own = kind === 'reports' ? `unit:${data.unitId}` : `agency-ilos:${data.agencyId}`;
    const upper = kind === 'reports' ? `agency-ilos:${data.agencyId}` : 'ncb-desk';
    const text = textOf(new FormData(form), 'text');
    if (!text) throw new Error('Write the answer.');
    const files = [...(form.querySelector<HTMLInputElement>('input[type="file"]')?.files ?? [])];
    const attachments = await uploadFiles(session, own, files, $('[data-uploads]', form)!);
    return session.client.answer(data.id, kind, own, upper, text, attachments);
  });

  // The desk's follow-up.
  onSubmit($('[data-transmission]'), (form) => api('POST', `${path}/transmissions`, { reference: textOf(new FormData(form), 'reference'), medium: textOf(new FormData(form), 'medium') }));
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-status-change]')) {
    onClick(button, () => api('POST', `${path}/status`, { status: button.dataset['statusChange'] }));
  }
  // Every action is bound: until now the page's buttons did not answer a click (see app.css).
  root.dataset['ready'] = '';

  // Tracking, live.
  const table = $<HTMLTableElement>('[data-tracking]');
  if (table) {
    const tracking = new TrackingTable(session, table.tBodies[0]!, $('[data-answers]')!, (row) => !data.desk || row.level === 'agency');
    socket?.on('broadcast:tracking', ({ broadcast, row }) => {
      if (broadcast === data.id) tracking.set(row);
    });
    const { rows } = await api<{ rows: TrackingRow[] }>('GET', `${path}/tracking`);
    for (const row of rows) tracking.set(row);
  }
  const live = $('[data-live]');
  socket?.on('broadcast:reminder', (notice) => {
    if (live && notice.id === data.id) {
      live.textContent = `Reminder ${notice.reminders ?? ''}: this ${notice.priority} broadcast is waiting for your acknowledgement.`;
      live.hidden = false;
    }
  });
}

void init();
