/** The checkout plugin's contract: order vocabulary, its admin API shapes, and the outcomes it announces. */

export const ORDER_STATUSES = ['pending', 'paid', 'refunded', 'disputed', 'expired', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const DISPUTE_STATUSES = ['open', 'won', 'lost'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** An order as editors see it (admin API `GET /checkout/orders`). */
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
  disputeStatus: DisputeStatus | null;
  refundRequestedAt: string | null;
  refundRequestedBy: string | null;
  createdAt: string;
  paidAt: string | null;
  refundable: boolean;
}

export interface AdminOrdersResponse {
  results: AdminOrder[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
}

export interface AdminRefundResponse {
  data: { refundId: string; status: string | null; alreadyRequested: boolean };
}
