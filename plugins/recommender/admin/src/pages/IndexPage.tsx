import * as React from 'react';
import { Badge, Box, Button, Flex, Grid, ProgressBar, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import type { IndexStatus } from '@kp/platform/contracts';
import { whenAuthReady } from '@kp/platform/admin/auth-ready';

const PERMISSIONS = {
  read: [{ action: 'plugin::recommender.index.read', subject: null }],
  rebuild: [{ action: 'plugin::recommender.index.rebuild', subject: null }],
};

const STATE_LABEL: Record<IndexStatus['state'], string> = { ready: 'Ready', building: 'Building', failed: 'Failed', empty: 'Empty' };

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);
/** "boot", "admin:12" (a rebuild by admin user 12), "catalogue grew from …": said plainly. */
const why = (trigger: string | null) => (!trigger ? '—' : trigger.startsWith('admin:') ? `rebuilt by admin #${trigger.slice(6)}` : trigger);
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function Stat({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Box padding={4} background="neutral0" hasRadius shadow="tableShadow" width="100%" height="100%">
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Box paddingTop={1}>
        <Typography variant="delta">{value}</Typography>
      </Box>
    </Box>
  );
}

const IndexPage = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS);
  const [status, setStatus] = React.useState<IndexStatus | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [requesting, setRequesting] = React.useState(false);

  const load = React.useCallback(async () => {
    try {
      const res = await get<{ data: IndexStatus }>('/recommender/index');
      setStatus(res.data.data);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not read the index status.');
    }
  }, [get]);

  React.useEffect(() => {
    void load();
  }, [load]);

  // Poll while a build runs, so the progress bar moves; stop as soon as it is done.
  React.useEffect(() => {
    if (status?.state !== 'building') return undefined;
    const timer = window.setInterval(() => void load(), 700);
    return () => window.clearInterval(timer);
  }, [status?.state, load]);

  const rebuild = async () => {
    setRequesting(true);
    try {
      const res = await post<{ data: { started: boolean; status: IndexStatus } }>('/recommender/index/rebuild');
      setStatus(res.data.data.status);
      toggleNotification({
        type: 'info',
        message: res.data.data.started ? 'Rebuilding the recommendation index…' : 'A rebuild is already running.',
      });
    } catch (e) {
      toggleNotification({ type: 'danger', message: e instanceof Error ? e.message : 'The rebuild could not start.' });
    } finally {
      setRequesting(false);
    }
  };

  if (error && !status) return <Page.Error />;
  if (!status) return <Page.Loading />;
  const building = status.state === 'building';

  return (
    <Page.Main>
      <Page.Title>Recommender</Page.Title>
      <Layouts.Header
        title="Recommendation index"
        subtitle="Course vectors, co-occurrence, popularity and segments held in memory by this server instance. Each instance builds its own from the database."
        primaryAction={
          allowedActions.canRebuild ? (
            <Button startIcon={<ArrowClockwise />} onClick={rebuild} loading={requesting || building} disabled={building}>
              Rebuild now
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box padding={6} background="neutral0" hasRadius shadow="tableShadow">
            <Flex gap={3} alignItems="center">
              <Badge active={status.state === 'ready'}>{STATE_LABEL[status.state]}</Badge>
              <Typography textColor="neutral600">
                {building ? `Phase: ${status.phase}` : `Last build ${when(status.finishedAt)} (${why(status.trigger)})`}
              </Typography>
            </Flex>
            {building ? (
              <Box paddingTop={4}>
                <Flex gap={3} alignItems="center">
                  <ProgressBar value={Math.round(status.progress * 100)} size="M" />
                  <Typography variant="pi">{`${Math.round(status.progress * 100)}%`}</Typography>
                </Flex>
              </Box>
            ) : null}
            {status.error ? (
              <Box paddingTop={4}>
                <Typography textColor="danger600">{status.error}</Typography>
              </Box>
            ) : null}
          </Box>
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Published courses" value={status.courses} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Terms" value={status.terms} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Segments (k-means)" value={status.segments} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Memory (estimate)" value={size(status.memoryBytes)} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Learners" value={status.learners} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Interactions" value={status.interactions} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Build time" value={status.durationMs === null ? '—' : `${status.durationMs} ms (${status.cpuMs ?? '—'} ms CPU)`} />
            </Grid.Item>
            <Grid.Item col={3} s={6} xs={12}>
              <Stat label="Popularity refreshed" value={when(status.statsRefreshedAt)} />
            </Grid.Item>
          </Grid.Root>
          {Object.keys(status.timings).length ? (
            <Typography variant="pi" textColor="neutral600">
              {`Last build by phase: ${Object.entries(status.timings)
                .map(([phase, ms]) => `${phase} ${ms} ms`)
                .join(' · ')}`}
            </Typography>
          ) : null}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

const ProtectedIndexPage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <IndexPage />
  </Page.Protect>
);

export default whenAuthReady(ProtectedIndexPage);
