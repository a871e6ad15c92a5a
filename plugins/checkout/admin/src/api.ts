/**
 * Helpers around the checkout plugin's admin API. Its shapes (`AdminOrder`, `AdminOrdersResponse`,
 * `AdminRefundResponse`) and the order statuses come from the checkout contract in
 * `@kp/platform/contracts`, the same types the server's responses are checked against.
 */
import type { OrderStatus } from '@kp/platform/contracts';

/** The Orders page's filters: status, a search (order id, learner, title), a creation-date range. */
export interface OrderFilter {
  status: OrderStatus | 'all';
  q: string;
  from?: Date;
  to?: Date;
}

/** A calendar day as the API reads it (`2026-12-01`; `to` covers that whole day). */
const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Query string of the filters (the CSV export takes the same). */
export function filterQuery(filter: OrderFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status !== 'all') params.set('status', filter.status);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.from) params.set('from', day(filter.from));
  if (filter.to) params.set('to', day(filter.to));
  return params;
}

/** Query string of the orders request. */
export function ordersQuery(filter: OrderFilter, page: number): string {
  const params = filterQuery(filter);
  params.set('page', String(page));
  params.set('pageSize', '20');
  return params.toString();
}

export { errorMessage } from '@kp/platform/admin';
