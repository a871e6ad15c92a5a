/**
 * The daily order rollup's arithmetic: what one order contributes to each (local day, currency,
 * course) cell, and the difference between two such contributions (what a change of the order adds
 * to the rollup). The rules are those of the reports over raw rows (services/reports.ts):
 *   - a sale on the local day of `paidAt` (gross = amountPaid, else amount; one order);
 *   - a refund on the day of `closedAt`, else `lastEventAt`, for the running refunded total;
 *   - a lost dispute on the day of `lastEventAt`, for what was paid and not refunded;
 *   - the checkout funnel on the day the order was created.
 * Pure: the local day of an instant comes in as a function.
 */

/** The order columns the rollup reads. Instants as epoch milliseconds (null when unset). */
export interface OrderSnapshot {
  currency: string;
  /** null for plan orders; stored as '' in the rollup. */
  courseDocumentId: string | null;
  state: string;
  amount: number;
  amountPaid: number | null;
  amountRefunded: number | null;
  disputeStatus: string | null;
  createdAt: number | null;
  paidAt: number | null;
  closedAt: number | null;
  lastEventAt: number | null;
}

/** The measures of a cell, in this order. */
export const MEASURES = ['orders', 'gross', 'refunds', 'refund_n', 'disputes', 'dispute_n', 'started', 'completed', 'paid', 'refunded', 'expired', 'failed', 'pending'] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Partial<Record<Measure, number>>;

/** One cell's measures: `day` is the local day key (YYYY-MM-DD), `course` '' for none. */
export interface Cell {
  day: string;
  currency: string;
  course: string;
  measures: Measures;
}

export const cellKey = (c: Pick<Cell, 'day' | 'currency' | 'course'>): string => `${c.day}\u0000${c.currency}\u0000${c.course}`;

function add(cells: Map<string, Cell>, day: string, currency: string, course: string, measures: Measures, sign = 1): void {
  const key = cellKey({ day, currency, course });
  let cell = cells.get(key);
  if (!cell) cells.set(key, (cell = { day, currency, course, measures: {} }));
  for (const [m, v] of Object.entries(measures) as Array<[Measure, number]>) cell.measures[m] = (cell.measures[m] ?? 0) + sign * v;
}

/** What one order contributes, cell by cell. */
export function orderContribution(o: OrderSnapshot, dayOf: (epochMs: number) => string): Cell[] {
  const cells = new Map<string, Cell>();
  const course = o.courseDocumentId ?? '';
  const paid = o.amountPaid ?? o.amount;
  const refunded = o.amountRefunded ?? 0;
  if (o.paidAt !== null) add(cells, dayOf(o.paidAt), o.currency, course, { orders: 1, gross: paid });
  const refundAt = o.closedAt ?? o.lastEventAt;
  if (refunded > 0 && refundAt !== null) add(cells, dayOf(refundAt), o.currency, course, { refunds: refunded, refund_n: 1 });
  if (o.disputeStatus === 'lost' && o.lastEventAt !== null) add(cells, dayOf(o.lastEventAt), o.currency, course, { disputes: paid - refunded, dispute_n: 1 });
  if (o.createdAt !== null) {
    const isPaid = o.paidAt !== null;
    add(cells, dayOf(o.createdAt), o.currency, course, {
      started: 1,
      completed: isPaid || o.state === 'failed' ? 1 : 0,
      paid: isPaid ? 1 : 0,
      refunded: isPaid && refunded > 0 ? 1 : 0,
      expired: o.state === 'expired' ? 1 : 0,
      failed: o.state === 'failed' ? 1 : 0,
      pending: o.state === 'pending' ? 1 : 0,
    });
  }
  return [...cells.values()];
}

/**
 * The changes to apply to the rollup for a list of (before, after) contributions: summed per cell,
 * zero measures and cells without any change left out.
 */
export function contributionDelta(changes: ReadonlyArray<{ before: readonly Cell[]; after: readonly Cell[] }>): Cell[] {
  const cells = new Map<string, Cell>();
  for (const { before, after } of changes) {
    for (const c of before) add(cells, c.day, c.currency, c.course, c.measures, -1);
    for (const c of after) add(cells, c.day, c.currency, c.course, c.measures, 1);
  }
  const out: Cell[] = [];
  for (const c of cells.values()) {
    const measures = Object.fromEntries(Object.entries(c.measures).filter(([, v]) => v !== 0)) as Measures;
    if (Object.keys(measures).length) out.push({ ...c, measures });
  }
  return out.sort((a, b) => (cellKey(a) < cellKey(b) ? -1 : 1));
}

/** Contributions as stored beside each order (compact JSON) and read back. */
export function encodeContribution(cells: readonly Cell[]): string {
  return JSON.stringify(cells.map((c) => [c.day, c.currency, c.course, MEASURES.map((m) => c.measures[m] ?? 0)]));
}

export function decodeContribution(text: string | null | undefined): Cell[] {
  if (!text) return [];
  const rows = JSON.parse(text) as Array<[string, string, string, number[]]>;
  return rows.map(([day, currency, course, values]) => ({
    day,
    currency,
    course,
    measures: Object.fromEntries(MEASURES.map((m, i) => [m, values[i] ?? 0]).filter(([, v]) => v !== 0)) as Measures,
  }));
}
