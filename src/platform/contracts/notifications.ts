/** The notifications plugin's contract: outbox states and the admin API shapes its Outbox page reads. */

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'captured'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** One message as editors see it in the Outbox (admin API `GET /notifications/outbox`). Times are ISO strings. */
export interface OutboxMessage {
  id: number;
  recipient: string;
  template: string;
  locale: string;
  subject: string;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxListResponse {
  results: OutboxMessage[];
  pagination: { page: number; pageSize: number; total: number; pageCount: number };
}

/** `GET /notifications/status`: how e-mail leaves the platform, and the outbox's counts. */
export interface DeliveryStatusResponse {
  data: {
    mode: 'smtp' | 'capture';
    /** What an editor reads: where messages go, or why they are not delivered. */
    message: string;
    counts: Record<OutboxState, number>;
  };
}

/** `GET /notifications/outbox/:id`: one message with its bodies. */
export interface OutboxMessageResponse {
  data: OutboxMessage & { text: string; html: string };
}
