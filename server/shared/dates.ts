/**
 * Dates and times as Indian officers read them, whatever the browser's locale: day month year,
 * 24-hour clock, India Standard Time said (the portal's officers are all in one time zone, and a
 * deadline must read the same on every screen). Used by the browser and the server alike.
 */
const IST = 'Asia/Kolkata';

const dateTime = new Intl.DateTimeFormat('en-IN', { timeZone: IST, day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayOnly = new Intl.DateTimeFormat('en-IN', { timeZone: IST, weekday: 'long', day: '2-digit', month: 'short', year: 'numeric' });
const timeOnly = new Intl.DateTimeFormat('en-IN', { timeZone: IST, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "06 Dec 2026, 19:28 IST". */
export function formatDateTime(date: Date): string {
  return `${dateTime.format(date)} IST`;
}

/** "Sunday, 06 Dec 2026" (IST): the day a message belongs to, for the separators between days. */
export function formatDay(date: Date): string {
  return dayOnly.format(date);
}

/** "19:28" (IST), for a message's time within its day. */
export function formatTime(date: Date): string {
  return timeOnly.format(date);
}

/** "just now", "5 min ago", "3 h ago", "in 2 days": how far `date` is from `now`, for recent and coming things. */
export function relativeTime(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const past = seconds <= 0;
  const span = Math.abs(seconds);
  const say = (amount: number, unit: string): string => (past ? `${amount} ${unit} ago` : `in ${amount} ${unit}`);
  if (span < 45) return 'just now';
  if (span < 3_600) return say(Math.max(1, Math.round(span / 60)), 'min');
  if (span < 86_400) return say(Math.round(span / 3_600), 'h');
  const days = Math.round(span / 86_400);
  return say(days, days === 1 ? 'day' : 'days');
}
