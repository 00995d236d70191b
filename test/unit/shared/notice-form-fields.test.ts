import { expect } from 'chai';
import { contentFrom, formOf, labelsOf, shownValue, valueAt, type FormField, type FormGroup } from '../../../server/shared/notices/form-fields.js';
import { NOTICE_FORMS } from '../../../server/shared/notices/forms.js';
import { NOTICE_KINDS } from '../../../server/shared/notices/kinds.js';
import { contentOf } from '../../support/notice-content.js';

const fieldsOf = (groups: readonly FormGroup[]): FormField[] => groups.flatMap((group) => group.children.flatMap((entry) => (entry.type === 'group' ? fieldsOf([entry]) : [entry])));

describe('notice forms drawn from the kinds’ schemas', () => {
  for (const kind of NOTICE_KINDS) {
    it(`${kind}: every field of the schema is on the form, and a content read back from it is the same content`, () => {
      const groups = formOf(NOTICE_FORMS[kind]);
      const content = NOTICE_FORMS[kind].parse(contentOf(kind));
      const asTyped = (field: FormField): string => {
        const value = valueAt(content, field.path);
        return Array.isArray(value) ? value.join('\n') : typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
      };
      const read = NOTICE_FORMS[kind].parse(contentFrom(groups, asTyped));
      expect(read).to.deep.equal(content);
    });
  }

  it('says what each field is: required or not, a date, a number, a choice, one entry per line', () => {
    const fields = new Map(fieldsOf(formOf(NOTICE_FORMS.red)).map((field) => [field.path, field]));
    expect(fields.get('warrant.issuedOn')).to.include({ input: 'date', required: true, label: 'Issued on' });
    expect(fields.get('warrant.expiresOn')).to.include({ input: 'date', required: false });
    expect(fields.get('offence.maxPenaltyMonths')).to.include({ input: 'number', required: true });
    expect(fields.get('purpose')).to.deep.include({ input: 'select', options: ['prosecution', 'sentence'] });
    expect(fields.get('extradition')).to.include({ input: 'lines', required: true });
    expect(fields.get('subject.aliases')).to.include({ input: 'lines', required: false });
    expect(fields.get('facts')).to.include({ input: 'long', required: true });
    expect(labelsOf(formOf(NOTICE_FORMS.red)).get('subject.familyName')).to.equal('Family name');
  });

  it('shows values as people read them', () => {
    expect(shownValue(['Thailand', 'Nepal'])).to.equal('Thailand; Nepal');
    expect(shownValue('')).to.equal('—');
    expect(shownValue(84)).to.equal('84');
    expect(shownValue({ toString: () => '<b>' })).to.equal('—');
  });
});
