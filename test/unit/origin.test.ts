import { expect } from 'chai';
import { originPolicy } from '../../server/middleware/origin.js';

describe('origin policy', () => {
  it('accepts exactly the configured public origin', () => {
    const allowed = originPolicy('https://portal.example.gov.in', () => 443);
    expect(allowed('https://portal.example.gov.in')).to.equal(true);
    expect(allowed('https://portal.example.gov.in.evil.example')).to.equal(false);
    expect(allowed('http://portal.example.gov.in')).to.equal(false);
  });

  it('without a public origin, accepts only loopback origins on the bound port', () => {
    const allowed = originPolicy(undefined, () => 4321);
    expect(allowed('http://localhost:4321')).to.equal(true);
    expect(allowed('http://127.0.0.1:4321')).to.equal(true);
    expect(allowed('http://[::1]:4321')).to.equal(true);
    expect(allowed('http://localhost:4322')).to.equal(false);
    expect(allowed('http://10.0.0.5:4321')).to.equal(false);
    expect(allowed('null')).to.equal(false);
  });
});
