/**
 * The Analytics page: range (presets and custom), granularity, currency and course / category /
 * instructor filters over five tabs (sales, checkout funnel, learning, catalogue review, behaviour), each tab
 * behind its RBAC action. Every chart has a table view and a CSV of exactly what the table shows.
 */
import * as React from 'react';
import { Box, Button, Flex, Grid, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { useSearchParams } from 'react-router-dom';
import type { FunnelReport, LearningReport, ReviewReport, SalesReport } from '@kp/platform/contracts';
import { DEFAULT_FILTERS, PERMISSIONS, major, money, percent, queryOf, type Filters } from '../api';
import { ChartCard, Stat } from '../components/ChartCard';
import { BehaviourTab } from './BehaviourTab';
import { whenAuthReady } from '@kp/platform/admin/auth-ready';

const TABS = [
  { id: 'sales', label: 'Sales' },
  { id: 'funnel', label: 'Checkout funnel' },
  { id: 'learning', label: 'Learning' },
  { id: 'review', label: 'Catalogue and review' },
  { id: 'behaviour', label: 'Behaviour' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const PRESETS = [
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['12m', 'Last 12 months'],
  ['mtd', 'Month to date'],
  ['last-month', 'Last month'],
  ['ytd', 'Year to date'],
  ['custom', 'Custom'],
] as const;

type Option = { id: string; label: string };

/** Options of a filter from the Content Manager (the editor reads the catalogue anyway); empty when not allowed. */
function useOptions(uid: string, field: string): Option[] {
  const { get } = useFetchClient();
  const [options, setOptions] = React.useState<Option[]>([]);
  React.useEffect(() => {
    get<{ results: Array<Record<string, string>> }>(`/content-manager/collection-types/${uid}?page=1&pageSize=100&sort=${field}:ASC`)
      .then((r) => setOptions(r.data.results.map((x) => ({ id: x.documentId!, label: x[field] ?? x.documentId! }))))
      .catch(() => setOptions([]));
  }, [get, uid, field]);
  return options;
}

function FilterSelect(props: { label: string; value: string; options: Option[]; onChange: (v: string) => void; name: string }) {
  return (
    <Box minWidth="160px">
      <Typography variant="pi" fontWeight="bold">
        {props.label}
      </Typography>
      <SingleSelect aria-label={props.label} name={props.name} value={props.value} onChange={(v: string | number) => props.onChange(String(v))} size="S">
        <SingleSelectOption value="">All</SingleSelectOption>
        {props.options.map((o) => (
          <SingleSelectOption key={o.id} value={o.id}>
            {o.label}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Box>
  );
}

function SalesTab({ data }: { data: SalesReport }) {
  const rows = data.series.map((s) => ({ bucket: s.bucket, currency: s.currency, gross: major(s.gross, s.currency), refunds: major(s.refunds, s.currency), disputes: major(s.disputes, s.currency), net: major(s.net, s.currency), orders: s.orders }));
  const byCourse = data.byCourse.map((c) => ({ course: c.title ?? c.courseDocumentId, currency: c.currency, gross: major(c.gross, c.currency), refunds: major(c.refunds, c.currency), net: major(c.net, c.currency), orders: c.orders }));
  const money4 = [
    { key: 'gross', label: 'Gross' },
    { key: 'refunds', label: 'Refunds' },
    { key: 'disputes', label: 'Disputes' },
    { key: 'net', label: 'Net' },
  ];
  const s = data.subscriptions;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={4}>
        {data.totals.map((t) => {
          const prev = data.previous.totals.find((p) => p.currency === t.currency);
          return (
            <Grid.Item key={t.currency} col={3} s={6} xs={12}>
              <Stat label={`Net ${t.currency.toUpperCase()}`} value={money(t.net, t.currency)} hint={`${t.orders} orders · AOV ${t.averageOrderValue === null ? '—' : money(t.averageOrderValue, t.currency)} · before: ${money(prev?.net ?? 0, t.currency)}`} />
            </Grid.Item>
          );
        })}
        <Grid.Item col={3} s={6} xs={12}>
          <Stat label="Subscriptions" value={`${s.activeNow} live`} hint={`${s.new} new · ${s.canceled} canceled · churn ${percent(s.churnRate)} · MRR ${s.mrr.map((m) => money(m.mrr, m.currency)).join(', ') || '—'}`} />
        </Grid.Item>
      </Grid.Root>
      <ChartCard id="sales-by-period" title="Sales by period (major units, a chart per currency)" columns={[{ key: 'bucket', label: 'Period' }, { key: 'currency', label: 'Currency' }, ...money4, { key: 'orders', label: 'Orders' }]} rows={rows} series={['gross', 'net', 'refunds']} groupBy="currency" />
      <ChartCard id="sales-by-course" title="Sales by course" columns={[{ key: 'course', label: 'Course' }, { key: 'currency', label: 'Currency' }, { key: 'gross', label: 'Gross' }, { key: 'refunds', label: 'Refunds' }, { key: 'net', label: 'Net' }, { key: 'orders', label: 'Orders' }]} rows={byCourse} series={['gross', 'net']} groupBy="currency" />
    </Flex>
  );
}

const FUNNEL_COLUMNS = [
  { key: 'started', label: 'Started' },
  { key: 'completed', label: 'Completed' },
  { key: 'paid', label: 'Paid' },
  { key: 'refunded', label: 'Refunded' },
  { key: 'expired', label: 'Expired' },
  { key: 'failed', label: 'Failed' },
];

function FunnelTab({ data }: { data: FunnelReport }) {
  const t = data.totals;
  const steps = FUNNEL_COLUMNS.map((c) => ({ step: c.label, sessions: t[c.key as keyof typeof t] as number }));
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={4}>
        <Grid.Item col={3} s={6} xs={12}>
          <Stat label="Payment success rate" value={percent(t.successRate)} hint={`${t.paid} paid of ${t.started} sessions`} />
        </Grid.Item>
        <Grid.Item col={3} s={6} xs={12}>
          <Stat label="Abandonment" value={percent(t.abandonmentRate)} hint={`${t.expired} expired, ${t.pending} open`} />
        </Grid.Item>
      </Grid.Root>
      <ChartCard id="funnel-steps" title="Sessions started → completed → paid → refunded" columns={[{ key: 'step', label: 'Step' }, { key: 'sessions', label: 'Sessions' }]} rows={steps} series={['sessions']} />
      <ChartCard id="funnel-by-period" title="Sessions by period" columns={[{ key: 'bucket', label: 'Period' }, ...FUNNEL_COLUMNS]} rows={data.series.map((s) => ({ ...s }))} series={['started', 'paid']} />
      <ChartCard id="funnel-by-currency" title="By currency" columns={[{ key: 'currency', label: 'Currency' }, ...FUNNEL_COLUMNS]} rows={data.byCurrency.map((s) => ({ ...s }))} series={['started', 'paid']} />
      <ChartCard id="funnel-by-course" title="By course" columns={[{ key: 'course', label: 'Course' }, ...FUNNEL_COLUMNS]} rows={data.byCourse.map((s) => ({ ...s, course: s.title ?? s.courseDocumentId }))} series={['started', 'paid']} />
      <ChartCard id="funnel-failures" title="Failure reasons (last Stripe event)" columns={[{ key: 'reason', label: 'Reason' }, { key: 'count', label: 'Orders' }]} rows={data.failureReasons.map((r) => ({ ...r }))} series={['count']} empty="No failed payment in this period." />
    </Flex>
  );
}

const LEARNING_COLUMNS = [
  { key: 'enrolments', label: 'Enrolments' },
  { key: 'started', label: 'Started' },
  { key: 'completed', label: 'Completed' },
  { key: 'certificates', label: 'Certificates' },
];

function LearningTab({ data }: { data: LearningReport }) {
  const t = data.totals;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={4}>
        {LEARNING_COLUMNS.map((c) => (
          <Grid.Item key={c.key} col={2} s={4} xs={6}>
            <Stat label={c.label} value={t[c.key as keyof typeof t] ?? 0} />
          </Grid.Item>
        ))}
        <Grid.Item col={4} s={8} xs={12}>
          <Stat label="Median time to complete" value={t.medianDaysToComplete === null ? '—' : `${t.medianDaysToComplete} days`} />
        </Grid.Item>
      </Grid.Root>
      <ChartCard id="learning-by-period" title="Learning by period" columns={[{ key: 'bucket', label: 'Period' }, ...LEARNING_COLUMNS]} rows={data.series.map((s) => ({ ...s }))} series={['enrolments', 'started', 'completed']} />
      <ChartCard id="learning-by-course" title="By course" columns={[{ key: 'course', label: 'Course' }, ...LEARNING_COLUMNS]} rows={data.byCourse.map((s) => ({ ...s, course: s.title ?? s.courseDocumentId }))} series={['enrolments', 'started', 'completed']} />
      <ChartCard
        id="learning-drop-off"
        title={`Chapter drop-off${data.dropOff ? `: ${data.dropOff.title ?? data.dropOff.courseDocumentId}` : ''}`}
        columns={[{ key: 'chapter', label: 'Chapter' }, { key: 'learners', label: 'Learners' }]}
        rows={(data.dropOff?.chapters ?? []).map((c) => ({ chapter: `${c.position}. ${c.title ?? c.chapterDocumentId}`, learners: c.learners }))}
        series={['learners']}
        empty="No progress in this period (choose a course to see its chapters)."
      />
    </Flex>
  );
}

function ReviewTab({ data }: { data: ReviewReport }) {
  const q = data.queue;
  const cols = [
    { key: 'submissions', label: 'Submissions' },
    { key: 'approvals', label: 'Approvals' },
    { key: 'changesRequested', label: 'Changes requested' },
  ];
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={4}>
        <Grid.Item col={4} s={6} xs={12}>
          <Stat label="Waiting for review" value={q.waiting} hint={q.oldestWaitingSince ? `oldest since ${new Date(q.oldestWaitingSince).toLocaleString()}` : undefined} />
        </Grid.Item>
        <Grid.Item col={4} s={6} xs={12}>
          <Stat label="Median time to decision" value={q.medianHoursToDecision === null ? '—' : `${q.medianHoursToDecision} h`} />
        </Grid.Item>
      </Grid.Root>
      <ChartCard id="review-by-period" title="Review by period" columns={[{ key: 'bucket', label: 'Period' }, ...cols]} rows={data.series.map((s) => ({ ...s }))} series={['submissions', 'approvals', 'changesRequested']} />
      <ChartCard id="review-by-instructor" title="By instructor" columns={[{ key: 'instructor', label: 'Instructor' }, ...cols, { key: 'medianHoursInReview', label: 'Median hours in review' }]} rows={data.byInstructor.map((s) => ({ ...s, instructor: s.name ?? s.instructorDocumentId ?? '—' }))} series={['submissions', 'approvals']} />
    </Flex>
  );
}

const AnalyticsPage = () => {
  const { get } = useFetchClient();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((t) => t.id === params.get('tab'))?.id ?? 'sales') as TabId;
  const [filters, setFilters] = React.useState<Filters>(DEFAULT_FILTERS);
  // The report with the tab it was loaded for: a tab never renders another tab's answer.
  const [loaded, setLoaded] = React.useState<{ tab: TabId; report: unknown } | null>(null);
  const data = loaded?.tab === tab ? loaded.report : null;
  const [error, setError] = React.useState<string | null>(null);
  // useRBAC names an allowed action by the action's last segment (`…sales.read` → canRead): one check per page.
  const allowed: Record<TabId, boolean> = {
    sales: useRBAC(PERMISSIONS.sales).allowedActions.canRead ?? false,
    funnel: useRBAC(PERMISSIONS.funnel).allowedActions.canRead ?? false,
    learning: useRBAC(PERMISSIONS.learning).allowedActions.canRead ?? false,
    review: useRBAC(PERMISSIONS.review).allowedActions.canRead ?? false,
    behaviour: useRBAC(PERMISSIONS.behaviour).allowedActions.canRead ?? false,
  };
  const courses = useOptions('api::course.course', 'title');
  const categories = useOptions('api::category.category', 'name');
  const instructors = useOptions('api::instructor.instructor', 'name');
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const ready = filters.preset !== 'custom' || (filters.from && filters.to);

  React.useEffect(() => {
    if (!ready || !allowed[tab] || tab === 'behaviour') return; // the Behaviour tab loads its own routes
    let live = true;
    get<{ data: unknown }>(`/analytics/${tab}?${queryOf(filters)}`)
      .then((r) => {
        if (!live) return;
        setLoaded({ tab, report: r.data.data });
        setError(null);
      })
      .catch((e: { response?: { data?: { error?: { message?: string } } }; message?: string }) => live && setError(e.response?.data?.error?.message ?? e.message ?? 'Could not load the report.'));
    return () => {
      live = false;
    };
  }, [get, tab, filters, ready, allowed[tab]]);

  return (
    <Page.Main>
      <Page.Title>Analytics</Page.Title>
      <Layouts.Header title="Analytics" subtitle="Money per currency in minor units’ major form; periods in the report’s time zone." />
      <Layouts.Content>
        <Flex gap={2} paddingBottom={4} wrap="wrap">
          {TABS.map((t) => (
            <Button key={t.id} variant={t.id === tab ? 'default' : 'tertiary'} disabled={!allowed[t.id]} onClick={() => setParams({ tab: t.id })} data-tab={t.id}>
              {t.label}
            </Button>
          ))}
        </Flex>
        {tab === 'behaviour' ? null : (
          <Flex gap={3} paddingBottom={4} wrap="wrap" alignItems="flex-end">
            <FilterSelect label="Range" name="preset" value={filters.preset} options={PRESETS.map(([id, label]) => ({ id, label }))} onChange={(v) => set({ preset: v || '30d' })} />
            {filters.preset === 'custom' ? (
              <>
                <TextInput type="date" aria-label="From" name="from" value={filters.from} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ from: e.target.value })} />
                <TextInput type="date" aria-label="To" name="to" value={filters.to} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ to: e.target.value })} />
              </>
            ) : null}
            <FilterSelect label="Granularity" name="granularity" value={filters.granularity} options={[{ id: 'day', label: 'Day' }, { id: 'week', label: 'Week' }, { id: 'month', label: 'Month' }]} onChange={(v) => set({ granularity: (v || 'day') as Filters['granularity'] })} />
            <FilterSelect label="Currency" name="currency" value={filters.currency} options={['usd', 'eur', 'gbp', 'cny', 'jpy'].map((c) => ({ id: c, label: c.toUpperCase() }))} onChange={(v) => set({ currency: v })} />
            <FilterSelect label="Course" name="course" value={filters.course} options={courses} onChange={(v) => set({ course: v })} />
            <FilterSelect label="Category" name="category" value={filters.category} options={categories} onChange={(v) => set({ category: v })} />
            <FilterSelect label="Instructor" name="instructor" value={filters.instructor} options={instructors} onChange={(v) => set({ instructor: v })} />
          </Flex>
        )}
        {!allowed[tab] ? (
          <Typography>You may not read this page.</Typography>
        ) : tab === 'behaviour' ? (
          <BehaviourTab />
        ) : error ? (
          <Typography textColor="danger600" data-error>
            {error}
          </Typography>
        ) : !data ? (
          <Page.Loading />
        ) : (
          <Box data-report={tab} data-period={(data as SalesReport).period.fromDay + '..' + (data as SalesReport).period.toDay}>
            {tab === 'sales' && <SalesTab data={data as SalesReport} />}
            {tab === 'funnel' && <FunnelTab data={data as FunnelReport} />}
            {tab === 'learning' && <LearningTab data={data as LearningReport} />}
            {tab === 'review' && <ReviewTab data={data as ReviewReport} />}
          </Box>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default whenAuthReady(AnalyticsPage);
