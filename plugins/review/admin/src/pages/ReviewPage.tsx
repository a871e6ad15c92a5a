/**
 * The review queue: submissions filtered by state, instructor, assignee, check results and
 * submission time; each opens in a modal with its checks, chapters, history and the decisions.
 */
import * as React from 'react';
import {
  Box,
  Button,
  DatePicker,
  EmptyStateLayout,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowLeft, ArrowRight, Eye } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import type { ReviewQueueItem, ReviewQueueResponse, ReviewState } from '@kp/platform/contracts';
import { errorMessage, queueQuery, type QueueFilters } from '../api';
import { PERMISSIONS, t } from '../pluginId';
import { ChecksBadge, StateBadge } from '../components/StateBadge';
import { SubmissionModal } from '../components/SubmissionModal';
import { whenAuthReady } from '@kp/platform/admin/auth-ready';

const STATES: Array<ReviewState | 'all'> = ['in_review', 'changes_requested', 'approved', 'draft', 'all'];

/** A calendar day (`2026-12-01`) in the editor's time zone. */
const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

const INITIAL: QueueFilters = { state: 'in_review', instructor: '', assignee: '', checks: '', submittedAfter: '', sort: 'oldest', page: 1 };

const ReviewPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading: loadingPermissions } = useRBAC(PERMISSIONS.all);
  const [filters, setFilters] = React.useState<QueueFilters>(INITIAL);
  const [queue, setQueue] = React.useState<ReviewQueueResponse | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [open, setOpen] = React.useState<string | null>(null);

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const { data } = await get<ReviewQueueResponse>(`/review/submissions?${queueQuery(filters)}`);
      setQueue(data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setLoading(false);
    }
  }, [filters, get, toggleNotification, formatMessage]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const set = <K extends keyof QueueFilters>(key: K, value: QueueFilters[K]) => setFilters((f) => ({ ...f, [key]: value, page: key === 'page' ? (value as number) : 1 }));
  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);
  const stateLabel = (s: ReviewState | 'all') =>
    msg(`state.${s}`, { draft: 'Draft', in_review: 'In review', changes_requested: 'Changes requested', approved: 'Approved', all: 'All states' }[s]);

  if (loadingPermissions) return <Page.Loading />;

  const items: ReviewQueueItem[] = queue?.data ?? [];
  const pagination = queue?.meta.pagination;

  return (
    <Page.Main>
      <Page.Title>{msg('plugin.name', 'Course review')}</Page.Title>
      <Layouts.Header
        title={msg('plugin.name', 'Course review')}
        // One message for an empty queue: the empty state below says it (not the subtitle too).
        subtitle={
          pagination && pagination.total > 0
            ? msg('page.subtitle', '{total, plural, =0 {No submissions match} one {# submission matches} other {# submissions match}} these filters', { total: pagination.total })
            : undefined
        }
      />
      <Layouts.Content>
        <Flex gap={4} wrap="wrap" alignItems="flex-end" paddingBottom={4}>
          <Box minWidth="180px">
            <Field.Root name="state">
              <Field.Label>{msg('filters.state', 'State')}</Field.Label>
              <SingleSelect value={filters.state} onChange={(v: string | number) => set('state', v as QueueFilters['state'])}>
                {STATES.map((s) => (
                  <SingleSelectOption key={s} value={s}>
                    {stateLabel(s)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
          <Box minWidth="200px">
            <Field.Root name="instructor">
              <Field.Label>{msg('filters.instructor', 'Instructor')}</Field.Label>
              <SingleSelect value={filters.instructor || '*'} onChange={(v: string | number) => set('instructor', v === '*' ? '' : String(v))}>
                <SingleSelectOption value="*">{msg('filters.any', 'Any')}</SingleSelectOption>
                {(queue?.meta.instructors ?? []).map((i) => (
                  <SingleSelectOption key={i.documentId} value={i.documentId}>
                    {i.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
          <Box minWidth="160px">
            <Field.Root name="assignee">
              <Field.Label>{msg('filters.assignee', 'Assignee')}</Field.Label>
              <SingleSelect value={filters.assignee || '*'} onChange={(v: string | number) => set('assignee', (v === '*' ? '' : v) as QueueFilters['assignee'])}>
                <SingleSelectOption value="*">{msg('filters.anyone', 'Anyone')}</SingleSelectOption>
                <SingleSelectOption value="me">{msg('filters.me', 'Me')}</SingleSelectOption>
                <SingleSelectOption value="unassigned">{msg('filters.unassigned', 'Unassigned')}</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Box>
          <Box minWidth="160px">
            <Field.Root name="checks">
              <Field.Label>{msg('filters.checks', 'Checks')}</Field.Label>
              <SingleSelect value={filters.checks || '*'} onChange={(v: string | number) => set('checks', (v === '*' ? '' : v) as QueueFilters['checks'])}>
                <SingleSelectOption value="*">{msg('filters.any', 'Any')}</SingleSelectOption>
                <SingleSelectOption value="clean">{msg('filters.clean', 'All passed')}</SingleSelectOption>
                <SingleSelectOption value="warnings">{msg('filters.warnings', 'With warnings')}</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Box>
          <Box minWidth="160px">
            <Field.Root name="submittedAfter">
              <Field.Label>{msg('filters.submittedAfter', 'Submitted since')}</Field.Label>
              <DatePicker
                value={filters.submittedAfter ? new Date(`${filters.submittedAfter}T00:00:00`) : undefined}
                onChange={(d: Date | undefined) => set('submittedAfter', d ? localDay(d) : '')}
                onClear={() => set('submittedAfter', '')}
                clearLabel={msg('filters.clear', 'Clear')}
              />
            </Field.Root>
          </Box>
          <Box minWidth="150px">
            <Field.Root name="sort">
              <Field.Label>{msg('filters.sort', 'Order')}</Field.Label>
              <SingleSelect value={filters.sort} onChange={(v: string | number) => set('sort', v as QueueFilters['sort'])}>
                <SingleSelectOption value="oldest">{msg('filters.oldest', 'Oldest first')}</SingleSelectOption>
                <SingleSelectOption value="newest">{msg('filters.newest', 'Newest first')}</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>

        {!loading && items.length === 0 ? (
          <EmptyStateLayout content={msg('empty', 'Nothing to review with these filters.')} />
        ) : (
          <Table colCount={7} rowCount={items.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{msg('table.course', 'Course')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.instructor', 'Instructor')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.submitted', 'Submitted')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.checks', 'Checks')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.assignee', 'Assignee')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.state', 'State')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.actions', 'Actions')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {items.map((s) => (
                <Tr key={s.courseDocumentId} data-course={s.courseDocumentId}>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography fontWeight="bold">{s.title ?? s.courseDocumentId}</Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {s.slug} · {s.locales.join(', ')} {s.live ? '· live' : ''}
                      </Typography>
                    </Flex>
                  </Td>
                  <Td><Typography>{s.instructor?.name ?? '—'}</Typography></Td>
                  <Td><Typography>{s.submittedAt ? formatDate(new Date(s.submittedAt), { dateStyle: 'medium', timeStyle: 'short' }) : '—'}</Typography></Td>
                  <Td><ChecksBadge warnings={s.checksSummary.warnings} failedRequired={s.checksSummary.failedRequired} /></Td>
                  <Td><Typography>{s.assignee?.name ?? '—'}</Typography></Td>
                  <Td><StateBadge state={s.state} /></Td>
                  <Td>
                    <Button variant="secondary" size="S" startIcon={<Eye />} onClick={() => setOpen(s.courseDocumentId)} aria-label={`${msg('table.open', 'Review')} ${s.title ?? ''}`}>
                      {msg('table.open', 'Review')}
                    </Button>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}

        {pagination && pagination.pageCount > 1 ? (
          <Flex justifyContent="flex-end" gap={2} paddingTop={4}>
            <Button variant="tertiary" startIcon={<ArrowLeft />} disabled={pagination.page <= 1} onClick={() => set('page', pagination.page - 1)}>
              {pagination.page - 1}
            </Button>
            <Typography>
              {pagination.page} / {pagination.pageCount}
            </Typography>
            <Button variant="tertiary" endIcon={<ArrowRight />} disabled={pagination.page >= pagination.pageCount} onClick={() => set('page', pagination.page + 1)}>
              {pagination.page + 1}
            </Button>
          </Flex>
        ) : null}
      </Layouts.Content>

      {open ? (
        <SubmissionModal
          courseDocumentId={open}
          minCommentLength={queue?.meta.settings?.minCommentLength ?? 10}
          can={{ approve: allowedActions.canApprove, requestChanges: allowedActions.canRequestChanges, assign: allowedActions.canAssign }}
          onClose={() => setOpen(null)}
          onChanged={() => void load()}
        />
      ) : null}
    </Page.Main>
  );
};

const ProtectedReviewPage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <ReviewPage />
  </Page.Protect>
);

export default whenAuthReady(ProtectedReviewPage);
