import { expect } from 'chai';
import { checkRequest, PROSECUTION_MIN_MONTHS, SENTENCE_MIN_REMAINING_MONTHS, type CheckInput } from '../../../server/shared/notices/check.js';
import { NOTICE_FORMS } from '../../../server/shared/notices/forms.js';
import { NOTICE_KINDS, type NoticeKind } from '../../../server/shared/notices/kinds.js';
import { DEFAULT_TERMS, mentions } from '../../../server/shared/notices/terms.js';
import { contentOf } from '../../support/notice-content.js';

const photo = [{ type: 'image/jpeg' }];
const check = (kind: NoticeKind, content: unknown, more: Partial<CheckInput> = {}) =>
  checkRequest({ kind, type: 'notice', content, attachments: photo, today: '2026-12-07', terms: DEFAULT_TERMS, ...more });
const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);

describe('notice request schemas and the pre-submission check', () => {
  describe('schemas, one per kind', () => {
    for (const kind of NOTICE_KINDS) {
      it(`${kind}: a complete request passes, with no errors`, () => {
        expect(NOTICE_FORMS[kind].safeParse(contentOf(kind)).success).to.equal(true);
        expect(check(kind, contentOf(kind)).errors).to.deep.equal([]);
      });
    }

    it('names each missing required field', () => {
      const red = contentOf('red');
      delete (red as { facts?: string }).facts;
      (red['warrant'] as Record<string, unknown>)['issuedOn'] = '';
      (red as { extradition: string[] }).extradition = [];
      const result = check('red', red);
      expect(result.errors.map((error) => error.field)).to.include.members(['facts', 'warrant.issuedOn', 'extradition']);
      expect(codes(result.errors)).to.deep.equal(['incomplete', 'incomplete', 'incomplete']);
    });

    it('refuses a Yellow request without when and where last seen, and a Black one without where found', () => {
      const yellow = contentOf('yellow');
      delete (yellow as { lastSeen?: unknown }).lastSeen;
      expect(check('yellow', yellow).errors[0]?.field).to.match(/^lastSeen/);
      const black = contentOf('black');
      (black['body'] as Record<string, unknown>)['place'] = ' ';
      expect(check('black', black).errors.map((error) => error.field)).to.deep.equal(['body.place']);
    });

    it('has no diffusion of the UN Special Notice', () => {
      expect(codes(check('un-special', contentOf('un-special'), { type: 'diffusion' }).errors)).to.deep.equal(['no-diffusion']);
    });
  });

  describe('Red thresholds', () => {
    const prosecution = (months: number) => {
      const red = contentOf('red');
      (red['offence'] as Record<string, unknown>)['maxPenaltyMonths'] = months;
      return check('red', red);
    };
    const sentence = (remaining: number, imposed = 36) => {
      const red = contentOf('red');
      red['purpose'] = 'sentence';
      red['sentence'] = { imposedMonths: imposed, remainingMonths: remaining };
      (red['warrant'] as Record<string, unknown>)['type'] = 'judgment';
      return check('red', red);
    };

    it('for prosecution, passes at two years and above, and blocks a month below', () => {
      expect(PROSECUTION_MIN_MONTHS).to.equal(24);
      expect(codes(prosecution(24).errors)).to.deep.equal([]);
      expect(codes(prosecution(25).errors)).to.deep.equal([]);
      const below = prosecution(23);
      expect(codes(below.errors)).to.deep.equal(['threshold']);
      expect(below.errors[0]!.field).to.equal('offence.maxPenaltyMonths');
      expect(below.errors[0]!.message).to.contain('23');
    });

    it('to serve a sentence, passes at six months remaining, and blocks five', () => {
      expect(SENTENCE_MIN_REMAINING_MONTHS).to.equal(6);
      expect(codes(sentence(6).errors)).to.deep.equal([]);
      expect(codes(sentence(7).errors)).to.deep.equal([]);
      expect(codes(sentence(5).errors)).to.deep.equal(['threshold']);
    });

    it('to serve a sentence, wants the judgment, and no more remaining than imposed', () => {
      const red = contentOf('red');
      red['purpose'] = 'sentence';
      red['sentence'] = { imposedMonths: 12, remainingMonths: 10 };
      expect(codes(check('red', red).errors)).to.deep.equal(['warrant']);
      expect(codes(sentence(40, 36).errors)).to.deep.equal(['dates']);
    });
  });

  describe('warrant', () => {
    const withWarrant = (warrant: Record<string, unknown>) => {
      const red = contentOf('red');
      red['warrant'] = { ...(red['warrant'] as object), ...warrant };
      return check('red', red);
    };

    it('blocks an expired warrant, and one expiring today; passes one valid tomorrow', () => {
      expect(codes(withWarrant({ expiresOn: '2026-12-06' }).errors)).to.deep.equal(['warrant-expired']);
      expect(codes(withWarrant({ expiresOn: '2026-12-07' }).errors)).to.deep.equal(['warrant-expired']);
      expect(codes(withWarrant({ expiresOn: '2026-12-08' }).errors)).to.deep.equal([]);
    });

    it('blocks a warrant dated in the future or before the offence, and a missing warrant date', () => {
      expect(codes(withWarrant({ issuedOn: '2026-12-08' }).errors)).to.deep.equal(['warrant']);
      expect(codes(withWarrant({ issuedOn: '2024-10-01' }).errors)).to.deep.equal(['dates']);
      expect(withWarrant({ issuedOn: '' }).errors.map((error) => error.field)).to.deep.equal(['warrant.issuedOn']);
    });
  });

  describe('photographs and identifiers', () => {
    it('blocks a Red, Yellow or Black request without a photograph', () => {
      for (const kind of ['red', 'yellow', 'black'] as const) {
        expect(codes(check(kind, contentOf(kind), { attachments: [{ type: 'application/pdf' }] }).errors), kind).to.include('photograph');
      }
      expect(codes(check('blue', contentOf('blue'), { attachments: [] }).errors)).to.deep.equal([]);
    });

    it('asks for at least one identifier of a person', () => {
      const blue = contentOf('blue');
      blue['subject'] = { ...(blue['subject'] as object), fingerprints: '', dna: '', documents: [] };
      expect(codes(check('blue', blue, { attachments: [] }).errors)).to.deep.equal(['identifier']);
      expect(codes(check('blue', blue).errors)).to.deep.equal([]);
    });
  });

  describe('Article 3 and Article 2 flags', () => {
    it('warns (does not block) on an offence of a political or religious character, naming the field', () => {
      const red = contentOf('red');
      (red['offence'] as Record<string, unknown>)['name'] = 'Sedition';
      red['facts'] = `${String(red['facts'])} He also spoke at a protest against blasphemy laws.`;
      const result = check('red', red);
      expect(result.errors).to.deep.equal([]);
      expect(result.warnings.filter((warning) => warning.code === 'article-3').map((warning) => [warning.field, warning.message.split('”')[0]])).to.deep.equal([
        ['offence.name', '“sedition'],
        ['facts', '“protest'],
        ['facts', '“blasphemy'],
      ]);
    });

    it('flags Article 2 terms, and uses the list it is given', () => {
      const red = contentOf('red');
      red['facts'] = `${String(red['facts'])} The offence carries the death penalty in one state.`;
      expect(codes(check('red', red).warnings)).to.include('article-2');
      expect(codes(check('red', red, { terms: [] }).warnings).filter((code) => code.startsWith('article'))).to.deep.equal([]);
      expect(codes(check('red', contentOf('red'), { terms: [{ term: 'export scheme', article: '3', note: 'test' }] }).warnings)).to.include('article-3');
    });

    it('matches whole words only', () => {
      expect(mentions('A protest was held', 'protest')).to.equal(true);
      expect(mentions('Protestant church', 'protest')).to.equal(false);
      expect(mentions('hurting   religious\nsentiments', 'hurting religious sentiments')).to.equal(true);
    });
  });

  describe('data quality', () => {
    it('wants names in Latin script beside the original', () => {
      const red = contentOf('red');
      (red['subject'] as { familyName: unknown }).familyName = { latin: 'शर्मा', original: '' };
      const result = check('red', red);
      expect(result.errors.map((error) => [error.code, error.field])).to.deep.equal([['script', 'subject.familyName.latin']]);
    });

    it('blocks dates that contradict each other', () => {
      const yellow = contentOf('yellow');
      (yellow['reporting'] as Record<string, unknown>)['reportedOn'] = '2026-10-01';
      expect(codes(check('yellow', yellow).errors)).to.deep.equal(['dates']);
      const red = contentOf('red');
      (red['subject'] as Record<string, unknown>)['birthDate'] = '2027-01-01';
      expect(codes(check('red', red).errors)).to.include('dates');
    });

    it('warns when a date of birth is missing', () => {
      const blue = contentOf('blue');
      (blue['subject'] as Record<string, unknown>)['birthDate'] = '';
      expect(check('blue', blue).warnings.map((warning) => [warning.code, warning.field])).to.deep.equal([['quality', 'subject.birthDate']]);
    });
  });
});
