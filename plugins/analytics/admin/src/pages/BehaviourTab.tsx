/**
 * The Behaviour tab: model status (version, window, held-out AUC of the chosen model and of the
 * baselines) with a Retrain button that follows the training's progress; at-risk learners with
 * reasons, segments, and checkout success — each a table with its CSV (ChartCard).
 */
import * as React from 'react';
import { Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { useFetchClient, useRBAC } from '@strapi/strapi/admin';
import type { BehaviourAtRisk, BehaviourCheckoutSuccess, BehaviourModelSummary, BehaviourSegments, BehaviourStatus } from '@kp/platform/contracts';
import { PERMISSIONS, percent } from '../api';
import { ChartCard, Stat } from '../components/ChartCard';

const auc = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));

function ModelStat({ label, m }: { label: string; m: BehaviourModelSummary | null }) {
  if (!m) return <Stat label={label} value="not trained yet" />;
  const b = m.metrics.baselines;
  return (
    <Stat
      label={`${label} (v${m.version}, ${m.metrics.chosen.name})`}
      value={`AUC ${auc(m.metrics.chosen.auc)}`}
      hint={`P@10% ${percent(m.metrics.chosen.precisionAt10pct)} · recency ${auc(b.recency.auc)} · frequency ${auc(b.frequency.auc)} · trained ${new Date(m.trainedAt).toLocaleString()}`}
    />
  );
}

export function BehaviourTab() {
  const { get, post } = useFetchClient();
  const canTrain = useRBAC(PERMISSIONS.behaviourTrain).allowedActions.canTrain ?? false;
  const [status, setStatus] = React.useState<BehaviourStatus | null>(null);
  const [atRisk, setAtRisk] = React.useState<BehaviourAtRisk | null>(null);
  const [segments, setSegments] = React.useState<BehaviourSegments | null>(null);
  const [checkout, setCheckout] = React.useState<BehaviourCheckoutSuccess | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [tick, setTick] = React.useState(0);

  React.useEffect(() => {
    let live = true;
    const fail = (e: { response?: { data?: { error?: { message?: string } } }; message?: string }) => live && setError(e.response?.data?.error?.message ?? e.message ?? 'Could not load.');
    get<{ data: BehaviourStatus }>('/analytics/behaviour/status').then((r) => live && setStatus(r.data.data)).catch(fail);
    get<{ data: BehaviourAtRisk }>('/analytics/behaviour/at-risk?limit=200').then((r) => live && setAtRisk(r.data.data)).catch(fail);
    get<{ data: BehaviourSegments }>('/analytics/behaviour/segments').then((r) => live && setSegments(r.data.data)).catch(fail);
    get<{ data: BehaviourCheckoutSuccess }>('/analytics/behaviour/checkout-success?days=365').then((r) => live && setCheckout(r.data.data)).catch(fail);
    return () => {
      live = false;
    };
  }, [get, tick]);

  // While a training runs, follow its progress; reload everything when it ends.
  React.useEffect(() => {
    if (status?.training.state !== 'running') return;
    const timer = setTimeout(() => setTick((t) => t + 1), 1500);
    return () => clearTimeout(timer);
  }, [status, tick]);

  const retrain = () =>
    post<{ data: BehaviourStatus }>('/analytics/behaviour/retrain', {})
      .then((r) => setStatus(r.data.data))
      .catch((e: { message?: string }) => setError(e.message ?? 'Could not start the training.'));

  const t = status?.training;
  const rateRows = (dim: keyof BehaviourCheckoutSuccess['by']) => (checkout?.by[dim] ?? []).map((r) => ({ value: r.key, sessions: r.sessions, paid: r.paid, rate: percent(r.rate) }));
  const rateColumns = (label: string) => [
    { key: 'value', label },
    { key: 'sessions', label: 'Settled sessions' },
    { key: 'paid', label: 'Paid' },
    { key: 'rate', label: 'Paid rate' },
  ];
  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-report="behaviour">
      {error ? (
        <Typography textColor="danger600" data-error>
          {error}
        </Typography>
      ) : null}
      <Grid.Root gap={4}>
        <Grid.Item col={4} s={6} xs={12}>
          <ModelStat label="Churn risk" m={status?.models.churn ?? null} />
        </Grid.Item>
        <Grid.Item col={4} s={6} xs={12}>
          <ModelStat label="Purchase propensity" m={status?.models.propensity ?? null} />
        </Grid.Item>
        <Grid.Item col={4} s={6} xs={12}>
          <Box>
            <Stat
              label="Training"
              value={t ? (t.state === 'running' ? `running: ${t.step ?? ''} ${Math.round(t.progress * 100)}%` : t.state) : '—'}
              hint={t?.error ? `failed: ${t.error} (the previous models stay)` : t?.finishedAt ? `last ended ${new Date(t.finishedAt).toLocaleString()}` : undefined}
            />
            {canTrain ? (
              <Button size="S" onClick={retrain} disabled={t?.state === 'running'} data-action="retrain">
                Retrain now
              </Button>
            ) : null}
          </Box>
        </Grid.Item>
      </Grid.Root>
      <ChartCard
        id="behaviour-at-risk"
        title="At-risk learners (churn risk, with the reason)"
        columns={[
          { key: 'username', label: 'Learner' },
          { key: 'risk', label: 'Risk %' },
          { key: 'reason', label: 'Reason' },
          { key: 'segment', label: 'Segment' },
          { key: 'recencyDays', label: 'Days inactive' },
          { key: 'completion', label: 'Completion %' },
        ]}
        rows={(atRisk?.learners ?? []).map((l) => ({ username: l.username, risk: Math.round(l.score * 100), reason: l.reason, segment: l.segment ?? '—', recencyDays: l.recencyDays, completion: Math.round(l.completion * 100) }))}
        series={['risk']}
        empty="No model yet, or no active learner."
      />
      <ChartCard
        id="behaviour-segments"
        title="Learner segments"
        columns={[
          { key: 'name', label: 'Segment (what sets it apart)' },
          { key: 'size', label: 'Learners at training' },
          { key: 'current', label: 'Learners now' },
          { key: 'share', label: 'Share' },
        ]}
        rows={(segments?.segments ?? []).map((s) => ({ name: s.name, size: s.size, current: s.current, share: percent(s.share) }))}
        series={['size', 'current']}
        empty="No segments yet."
      />
      <ChartCard id="behaviour-checkout-course" title="Checkout success by course (last 365 days)" columns={rateColumns('Course')} rows={rateRows('course')} series={['sessions', 'paid']} />
      <ChartCard id="behaviour-checkout-currency" title="Checkout success by currency" columns={rateColumns('Currency')} rows={rateRows('currency')} series={['sessions', 'paid']} />
      <ChartCard id="behaviour-checkout-band" title="Checkout success by price band" columns={rateColumns('Price band')} rows={rateRows('priceBand')} series={['sessions', 'paid']} />
      <ChartCard id="behaviour-checkout-buyer" title="Checkout success: returning vs new buyers" columns={rateColumns('Buyer')} rows={rateRows('buyer')} series={['sessions', 'paid']} />
    </Flex>
  );
}
