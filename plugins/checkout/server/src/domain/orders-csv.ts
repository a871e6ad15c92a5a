/**
 * The Orders page's CSV export (pure): one row per order, RFC 4180 quoting, and every cell that a
 * spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) prefixed
 * with `'`, so a title or an e-mail address can never run in the editor's spreadsheet.
 */
import type { AdminOrder } from '@kp/platform';

export const CSV_COLUMNS = [
  'order id',
  'created at',
  'paid at',
  'status',
  'kind',
  'title',
  'learner e-mail',
  'learner username',
  'amount (minor units)',
  'currency',
  'amount',
  'refunded (minor units)',
  'dispute',
] as const;

/** One cell, quoted when it must be, defused when a spreadsheet would evaluate it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function orderCsvRow(o: AdminOrder): string {
  return [
    o.id,
    o.createdAt,
    o.paidAt,
    o.status,
    o.kind,
    o.title,
    o.user?.email ?? null,
    o.user?.username ?? null,
    o.amount,
    o.currency,
    o.display,
    o.amountRefunded,
    o.disputeStatus,
  ]
    .map(csvCell)
    .join(',');
}

/** The whole file: a header line, then one line per order, CRLF line ends. */
export function ordersCsv(orders: readonly AdminOrder[]): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const o of orders) lines.push(orderCsvRow(o));
  return `${lines.join('\r\n')}\r\n`;
}
