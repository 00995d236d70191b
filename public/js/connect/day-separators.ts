/**
 * Puts a line with the day (IST) above the first message of each day in a conversation, and
 * nowhere else: called after messages are added, wherever they were added (history loads older
 * ones above). Pending messages (not yet stored) count as today's.
 */
export function separateDays(list: HTMLElement): void {
  for (const line of list.querySelectorAll('.day-separator')) line.remove();
  let previous: string | undefined;
  for (const item of list.querySelectorAll<HTMLElement>('.message[data-day]')) {
    const day = item.dataset['day']!;
    if (day !== previous) {
      const line = document.createElement('p');
      line.className = 'day-separator';
      line.setAttribute('role', 'separator');
      line.textContent = day;
      list.insertBefore(line, item);
      previous = day;
    }
  }
}
