/**
 * A kind's form on the page, drawn from its zod schema (server/shared/notices): the fields to fill
 * in, the values read back into a content the check and the seal take, and a filled-in request
 * shown for reading. Everything is built as elements and text, never as markup.
 */
import { contentFrom, formOf, labelsOf, shownValue, valueAt, type FormField, type FormGroup } from '../../../server/shared/notices/form-fields.js';
import { NOTICE_FORMS } from '../../../server/shared/notices/forms.js';
import type { NoticeKind } from '../../../server/shared/notices/kinds.js';

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** "arrest-warrant" reads "Arrest warrant". */
const optionLabel = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1).replace(/-/g, ' ');

export const groupsOf = (kind: NoticeKind): FormGroup[] => formOf(NOTICE_FORMS[kind]);

function inputOf(field: FormField): HTMLElement {
  const name = field.path;
  if (field.input === 'long' || field.input === 'lines') {
    const area = element('textarea');
    area.name = name;
    area.rows = field.input === 'long' ? 5 : 3;
    area.maxLength = 20_000;
    return area;
  }
  if (field.input === 'select') {
    const select = element('select');
    select.name = name;
    select.append(element('option', undefined, 'Choose…'));
    (select.firstChild as HTMLOptionElement).value = '';
    for (const option of field.options ?? []) {
      const entry = element('option', undefined, optionLabel(option));
      entry.value = option;
      select.append(entry);
    }
    return select;
  }
  const input = element('input');
  input.name = name;
  input.type = field.input === 'date' ? 'date' : field.input === 'number' ? 'number' : 'text';
  if (field.input === 'number') input.min = '0';
  input.maxLength = 2_000;
  return input;
}

function fieldElement(entry: FormField | FormGroup): HTMLElement {
  if (entry.type === 'group') {
    const set = element('fieldset', 'notice-group');
    set.append(element('legend', undefined, entry.label), ...entry.children.map(fieldElement));
    return set;
  }
  // The hint and the check's problem sit beside the label, not in it: the field's name stays its label.
  const wrap = element('div', `field${entry.input === 'long' ? ' field--full' : ''}`);
  wrap.dataset['field'] = entry.path;
  const label = element('label');
  const control = inputOf(entry);
  const problem = element('span', 'field__problem');
  problem.id = `problem-${entry.path.replace(/\./g, '-')}`;
  control.setAttribute('aria-describedby', problem.id);
  label.append(element('span', 'field__label', entry.label + (entry.required ? '' : ' (optional)')), control);
  wrap.append(label);
  if (entry.input === 'lines') wrap.append(element('span', 'field__hint', 'One per line.'));
  wrap.append(problem);
  return wrap;
}

/** Draws a kind's form into `container`, in place of what was there. */
export function drawForm(container: HTMLElement, kind: NoticeKind): FormGroup[] {
  const groups = groupsOf(kind);
  container.replaceChildren(...groups.map((group) => {
    const set = fieldElement(group);
    set.classList.add('grid-2');
    return set;
  }));
  return groups;
}

const controlOf = (container: HTMLElement, path: string): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null =>
  container.querySelector(`[name="${CSS.escape(path)}"]`);

/** The content as filled in. */
export function readForm(container: HTMLElement, groups: readonly FormGroup[]): Record<string, unknown> {
  return contentFrom(groups, (field) => controlOf(container, field.path)?.value.trim() ?? '');
}

/** Fills the form from a content (a draft being edited). */
export function fillForm(container: HTMLElement, groups: readonly FormGroup[], content: unknown): void {
  const visit = (entry: FormField | FormGroup): void => {
    if (entry.type === 'group') return entry.children.forEach(visit);
    const control = controlOf(container, entry.path);
    const value = valueAt(content, entry.path);
    if (control) control.value = Array.isArray(value) ? value.map(String).join('\n') : typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  };
  groups.forEach(visit);
}

/** Marks the fields the check found problems with (and clears the others). */
export function markProblems(container: HTMLElement, problems: readonly { field: string; message: string }[]): void {
  for (const label of container.querySelectorAll<HTMLElement>('[data-field]')) {
    const found = problems.filter((problem) => problem.field === label.dataset['field'] || problem.field.startsWith(`${label.dataset['field']}.`));
    label.querySelector('[name]')?.toggleAttribute('aria-invalid', found.length > 0);
    const note = label.querySelector<HTMLElement>('.field__problem');
    if (note) note.textContent = found.map((problem) => problem.message).join(' ');
  }
}

/** A filled-in request for reading: a list of facts per group. */
export function drawContent(container: HTMLElement, kind: NoticeKind, content: unknown): void {
  const draw = (group: FormGroup, depth: number): HTMLElement => {
    const section = element('section', 'notice-content__group');
    section.append(element(depth === 0 ? 'h3' : 'h4', undefined, group.label));
    let list = element('dl', 'facts');
    for (const entry of group.children) {
      if (entry.type === 'group') {
        if (list.childElementCount > 0) section.append(list);
        list = element('dl', 'facts');
        section.append(draw(entry, depth + 1));
        continue;
      }
      const value = element('dd', entry.input === 'long' ? 'notice-content__long' : undefined, shownValue(valueAt(content, entry.path)));
      value.dataset['value'] = entry.path;
      list.append(element('dt', undefined, entry.label), value);
    }
    if (list.childElementCount > 0) section.append(list);
    return section;
  };
  container.replaceChildren(...groupsOf(kind).map((group) => draw(group, 0)));
}

/** Lists findings of the check (errors or warnings) as text, each under the label of its field. */
export function showFindings(list: HTMLElement | null, findings: readonly { code: string; field: string; message: string }[], kind?: NoticeKind): void {
  const labels = kind ? labelsOf(groupsOf(kind)) : new Map<string, string>();
  const named = (field: string): string => {
    if (!field) return 'Request';
    if (field === 'attachments') return 'Photographs and scans';
    // The nearest field or group the path names ("subject.familyName.latin" under "Family name (Latin script)").
    for (let path = field; path; path = path.split('.').slice(0, -1).join('.')) {
      const label = labels.get(path);
      if (label) return label;
    }
    return field;
  };
  list?.replaceChildren(
    ...findings.map((finding) => {
      const item = element('li');
      item.dataset['code'] = finding.code;
      item.dataset['field'] = finding.field;
      item.append(element('strong', undefined, `${named(finding.field)}:`), ` ${finding.message}`);
      return item;
    }),
  );
}
