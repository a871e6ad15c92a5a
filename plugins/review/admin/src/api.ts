/** Shapes of the review plugin's admin API (server/src/controllers/editor.ts). */
export type ReviewState = 'draft' | 'in_review' | 'changes_requested' | 'approved';
export type EditorAction = 'request_changes' | 'approve' | 'assign';

export interface CheckResult {
  id: string;
  level: 'required' | 'recommended';
  passed: boolean;
  message: string;
}

export interface QueueItem {
  courseDocumentId: string;
  title: string | null;
  slug: string | null;
  state: ReviewState;
  instructor: { documentId: string; name: string | null } | null;
  submittedAt: string | null;
  decidedAt: string | null;
  revision: number;
  assignee: { id: number; name: string } | null;
  locales: string[];
  live: boolean;
  exists: boolean;
  checks: CheckResult[];
  checksSummary: { total: number; failedRequired: number; warnings: number };
  lastComment: string | null;
  actions: EditorAction[];
  contentManagerPath: string;
}

export interface HistoryEvent {
  id: number;
  action: string;
  from: ReviewState;
  to: ReviewState;
  actor: { type: 'instructor' | 'editor'; id: number; name: string | null };
  comment: string | null;
  at: string;
}

export interface SubmissionDetail extends QueueItem {
  course: {
    title: string | null;
    summary: string | null;
    access: string | null;
    price: number | null;
    currency: string | null;
    draftLocales: string[];
    publishedLocales: string[];
    chapters: Array<{ documentId: string; title: string | null; position: number | null; isPreview: boolean; hasContent: boolean; live: boolean }>;
  } | null;
  history: HistoryEvent[];
}

export interface QueueResponse {
  data: QueueItem[];
  meta: {
    pagination: { page: number; pageSize: number; pageCount: number; total: number };
    instructors: Array<{ documentId: string; name: string }>;
    settings?: { minCommentLength: number };
  };
}

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

/** The message of an admin API error, for a notification. */
export function errorMessage(err: unknown, fallback: string): string {
  const e = err as { response?: { data?: { error?: { message?: string } } }; message?: string } | null;
  return e?.response?.data?.error?.message ?? e?.message ?? fallback;
}
