/** Shapes of the checkout plugin's admin API (server/src/services/admin-orders.ts). */
export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'disputed', 'expired', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface AdminOrder {
  id: string;
  status: OrderStatus;
  kind: 'course' | 'plan';
  title: string | null;
  course: string | null;
  plan: string | null;
  user: { id: number; email: string | null; username: string | null } | null;
  amount: number;
  currency: string;
  display: string;
  amountPaid: number | null;
  amountRefunded: number;
  refundedDisplay: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  disputeStatus: 'open' | 'won' | 'lost' | null;
  refundRequestedAt: string | null;
  refundRequestedBy: string | null;
  createdAt: string;
  paidAt: string | null;
  refundable: boolean;
}

export interface OrdersResponse {
  results: AdminOrder[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
}

export interface RefundResponse {
  data: { refundId: string; status: string | null; alreadyRequested: boolean };
}

/** Query string of the orders request. */
export function ordersQuery(status: OrderStatus | 'all', page: number): string {
  const params = new URLSearchParams({ page: String(page), pageSize: '20' });
  if (status !== 'all') params.set('status', status);
  return params.toString();
}

/** The message of an admin API error, for a notification. */
export function errorMessage(err: unknown, fallback: string): string {
  const e = err as { response?: { data?: { error?: { message?: string } } }; message?: string } | null;
  return e?.response?.data?.error?.message ?? e?.message ?? fallback;
}
