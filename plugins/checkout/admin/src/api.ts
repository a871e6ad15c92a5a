/**
 * Helpers around the checkout plugin's admin API. Its shapes (`AdminOrder`, `AdminOrdersResponse`,
 * `AdminRefundResponse`) and the order statuses come from the checkout contract in
 * `@kp/platform/contracts`, the same types the server's responses are checked against.
 */
import type { OrderStatus } from '@kp/platform/contracts';

/** Query string of the orders request. */
export function ordersQuery(status: OrderStatus | 'all', page: number): string {
  const params = new URLSearchParams({ page: String(page), pageSize: '20' });
  if (status !== 'all') params.set('status', status);
  return params.toString();
}

export { errorMessage } from '@kp/platform/admin';
