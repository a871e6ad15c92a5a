import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminOrder } from '@kp/platform';
import { CSV_COLUMNS, csvCell, ordersCsv } from './orders-csv';

const CELLS: Array<[string | number | null, string]> = [
  ['plain', 'plain'],
  [1999, '1999'],
  [null, ''],
  ['a, b', '"a, b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
  ['+1 555', "'+1 555"],
  ['-5', "'-5"],
  ['@SUM(A1)', "'@SUM(A1)"],
  [-5, '-5'],
];
for (const [value, expected] of CELLS) test(`cell ${JSON.stringify(value)}`, () => assert.equal(csvCell(value), expected));

test('a file: header, one line per order, CRLF', () => {
  const order = {
    id: 'ord1', createdAt: '2026-12-01T10:00:00.000Z', paidAt: null, status: 'paid', kind: 'course', title: 'Python, quickly',
    user: { id: 1, email: 'ada@example.com', username: 'ada' }, amount: 1999, currency: 'usd', display: '19.99 USD', amountRefunded: 0, disputeStatus: null,
  } as unknown as AdminOrder;
  const csv = ordersCsv([order]);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], CSV_COLUMNS.join(','));
  assert.equal(lines[1], 'ord1,2026-12-01T10:00:00.000Z,,paid,course,"Python, quickly",ada@example.com,ada,1999,usd,19.99 USD,0,');
  assert.equal(lines[2], '');
  assert.equal(lines.length, 3);
});
