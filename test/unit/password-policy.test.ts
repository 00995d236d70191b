import { expect } from 'chai';
import { checkPassword } from '../../server/shared/password-policy.js';

describe('password policy (NIST SP 800-63B)', () => {
  it('refuses fewer than 12 characters and more than 128', () => {
    const eleven = checkPassword('zq8#Lw2!pV9');
    expect(eleven.ok).to.equal(false);
    expect(eleven.ok ? '' : eleven.reason).to.match(/at least 12/);
    const long = checkPassword('x'.repeat(129));
    expect(long.ok ? '' : long.reason).to.match(/at most 128/);
    expect(checkPassword('zq8#Lw2!pV9k').ok, 'twelve random characters pass').to.equal(true);
  });

  for (const common of ['password1234', 'qwertyuiop123', '123456789012', 'iloveyou1234']) {
    it(`refuses the common or breached password ${common}`, () => {
      expect(checkPassword(common).ok).to.equal(false);
    });
  }

  it("refuses a password built from the officer's own details or the portal's name", () => {
    expect(checkPassword('Bharatpol@2025').ok).to.equal(false);
    expect(checkPassword('vikram.patil1234', ['vikram.patil', 'Vikram', 'Patil']).ok).to.equal(false);
  });

  it('accepts a long passphrase without any composition rule', () => {
    expect(checkPassword('monsoon tiger ledger compass')).to.deep.include({ ok: true });
    expect(checkPassword('सत्यमेव जयते साइबर अपराध')).to.deep.include({ ok: true });
  });
});
