const TOKYO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Japan (YYYY-MM-DD): deadlines are municipal business days, not UTC days. */
export function todayInJapan(now: Date = new Date()): string {
  return TOKYO_DATE.format(now);
}
