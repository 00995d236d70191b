import { expect } from 'chai';
import { formatDateTime, formatDay, formatTime, relativeTime } from '../../../server/shared/dates.js';

describe('dates as Indian officers read them', () => {
  const at = new Date('2026-12-06T13:58:00Z');

  it('shows India Standard Time in day month year order, on a 24-hour clock, whatever the machine’s zone', () => {
    expect(formatDateTime(at)).to.equal('06 Dec 2026, 19:28 IST');
    expect(formatTime(at)).to.equal('19:28');
    expect(formatDay(at)).to.equal('Sunday, 06 Dec 2026');
    expect(formatDay(new Date('2026-12-06T19:00:00Z')), 'past midnight in India').to.equal('Monday, 07 Dec 2026');
    expect(formatDateTime(new Date('2026-12-31T20:00:00Z'))).to.equal('01 Jan 2027, 01:30 IST');
  });

  it('says how long ago or how soon', () => {
    const now = at.getTime();
    expect(relativeTime(new Date(now - 10_000), now)).to.equal('just now');
    expect(relativeTime(new Date(now - 5 * 60_000), now)).to.equal('5 min ago');
    expect(relativeTime(new Date(now - 3 * 3_600_000), now)).to.equal('3 h ago');
    expect(relativeTime(new Date(now + 2 * 86_400_000), now)).to.equal('in 2 days');
    expect(relativeTime(new Date(now - 86_400_000), now)).to.equal('1 day ago');
  });
});
