/**
 * The review page's own helpers. The shapes of the admin API (queue items, a submission with its
 * history, review states) are the review contract's, imported from `@kp/platform/contracts`, the
 * same types the server's answers are checked against.
 */
import type { ReviewState } from '@kp/platform/contracts';

export interface QueueFilters {
  state: ReviewState | 'all';
  instructor: string;
  assignee: '' | 'me' | 'unassigned';
  checks: '' | 'clean' | 'warnings';
  submittedAfter: string;
  sort: 'oldest' | 'newest';
  page: number;
}

/** Query string of the queue request: empty filters are left out. */
export function queueQuery(f: QueueFilters): string {
  const params = new URLSearchParams();
  params.set('state', f.state);
  params.set('sort', f.sort);
  params.set('page', String(f.page));
  params.set('pageSize', '20');
  if (f.instructor) params.set('instructor', f.instructor);
  if (f.assignee) params.set('assignee', f.assignee);
  if (f.checks) params.set('checks', f.checks);
  if (f.submittedAfter) params.set('submittedAfter', new Date(`${f.submittedAfter}T00:00:00`).toISOString());
  return params.toString();
}

export { errorMessage } from '@kp/platform/admin';
