import { expect } from 'chai';
import { z } from 'zod';
import { withoutDirectionControls } from '../../../server/shared/text.js';
import { nameInput, parseInput } from '../../../server/validation.js';

describe('names without direction controls', () => {
  it('removes embeddings, overrides, isolates and marks, and nothing else', () => {
    expect(withoutDirectionControls('invoice\u202egnp.exe')).to.equal('invoicegnp.exe');
    const every = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(withoutDirectionControls(`a${every}b`)).to.equal('ab');
    expect(withoutDirectionControls('राजेश कुमार · محمد · Ünal')).to.equal('राजेश कुमार · محمد · Ünal');
  });

  it('checks a name input once they are gone: a name of controls alone is too short', () => {
    const displayName = nameInput(z.string().trim().min(2, 'Enter the officer’s name.'));
    expect(parseInput(z.object({ displayName }), { displayName: ' Asha\u202e Patil ' }).displayName).to.equal('Asha Patil');
    expect(() => parseInput(z.object({ displayName }), { displayName: '\u202e\u202e\u202e' })).to.throw(/not valid/);
  });
});
