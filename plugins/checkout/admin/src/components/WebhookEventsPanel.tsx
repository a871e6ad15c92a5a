/**
 * The Orders page's Webhook events tab: the inbox of Stripe events, newest first, by state and
 * search, with the counts of the whole inbox (pending, dead letters, oldest pending). A dead
 * letter shows its last error and can be retried (with `plugin::checkout.webhook-events.retry`):
 * it turns pending and the worker applies it once.
 */
import * as React from 'react';
import { Badge, Box, Button, EmptyStateLayout, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise, Search } from '@strapi/icons';
import { useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { WEBHOOK_EVENT_STATES, type AdminWebhookEvent, type AdminWebhookEventsResponse, type AdminWebhookRetryResponse, type WebhookEventState } from '@kp/platform/contracts';
import { errorMessage } from '../api';
import { PERMISSIONS, t } from '../pluginId';

const STATE_COLORS: Record<WebhookEventState, { text: string; bg: string }> = {
  pending: { text: 'warning600', bg: 'warning100' },
  done: { text: 'success600', bg: 'success100' },
  dead: { text: 'danger600', bg: 'danger100' },
};
const STATE_LABELS: Record<WebhookEventState, string> = { pending: 'Pending', done: 'Applied', dead: 'Dead letter' };

export const WebhookEventsPanel = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions } = useRBAC(PERMISSIONS.events);
  const [state, setState] = React.useState<WebhookEventState | 'all'>('all');
  const [search, setSearch] = React.useState('');
  const [q, setQ] = React.useState('');
  const [data, setData] = React.useState<AdminWebhookEventsResponse | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [retrying, setRetrying] = React.useState<string | null>(null);
  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const params = new URLSearchParams({ page: '1', pageSize: '50' });
      if (state !== 'all') params.set('state', state);
      if (q.trim()) params.set('q', q.trim());
      const res = await get<AdminWebhookEventsResponse>(`/checkout/events?${params.toString()}`);
      setData(res.data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setLoading(false);
    }
  }, [get, state, q, toggleNotification, formatMessage]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const retry = async (event: AdminWebhookEvent) => {
    setRetrying(event.eventId);
    try {
      await post<AdminWebhookRetryResponse>(`/checkout/events/${event.eventId}/retry`, {});
      toggleNotification({ type: 'success', message: msg('events.retried', 'Event {eventId} queued again: it is applied in a moment.', { eventId: event.eventId }) });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setRetrying(null);
    }
  };

  const inbox = data?.inbox;
  const items = data?.results ?? [];
  const canRetry = Boolean(allowedActions.canRetry);

  return (
    <Box paddingTop={4}>
      <Flex gap={4} alignItems="flex-end" paddingBottom={4} wrap="wrap">
        <Box minWidth="280px">
          <form
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setQ(search);
            }}
          >
            <Field.Root name="events-q" hint={msg('events.searchHint', 'Event id, type, Stripe object id')}>
              <Field.Label>{msg('filters.search', 'Search')}</Field.Label>
              <TextInput type="search" value={search} startAction={<Search />} placeholder="sub_…" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)} onBlur={() => setQ(search)} />
              <Field.Hint />
            </Field.Root>
          </form>
        </Box>
        <Box minWidth="200px">
          <Field.Root name="events-state">
            <Field.Label>{msg('events.state', 'State')}</Field.Label>
            <SingleSelect value={state} onChange={(v: string | number) => setState(v as WebhookEventState | 'all')}>
              <SingleSelectOption value="all">{msg('events.allStates', 'All states')}</SingleSelectOption>
              {WEBHOOK_EVENT_STATES.map((s) => (
                <SingleSelectOption key={s} value={s}>
                  {msg(`events.state.${s}`, STATE_LABELS[s])}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Box>
        <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => void load()} loading={loading}>
          {msg('actions.reload', 'Reload')}
        </Button>
        {inbox ? (
          <Typography variant="pi" textColor={inbox.dead > 0 ? 'danger600' : 'neutral600'} data-inbox-summary>
            {msg('events.summary', '{pending} pending (oldest {age} s) · {dead} dead letters', { pending: inbox.pending, age: Math.round(inbox.oldestPendingSeconds), dead: inbox.dead })}
          </Typography>
        ) : null}
      </Flex>
      {!loading && items.length === 0 ? (
        <EmptyStateLayout content={msg('events.empty', 'No Stripe event matches these filters.')} />
      ) : (
        <Table colCount={6} rowCount={items.length + 1}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">{msg('events.received', 'Received')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('events.event', 'Event')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('events.object', 'Stripe object')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('events.state', 'State')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('events.result', 'Result')}</Typography></Th>
              <Th><Typography variant="sigma">{msg('table.actions', 'Actions')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {items.map((e) => (
              <Tr key={e.eventId} data-event={e.eventId} data-state={e.state}>
                <Td><Typography>{formatDate(new Date(e.receivedAt), { dateStyle: 'medium', timeStyle: 'medium' })}</Typography></Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start">
                    <Typography fontWeight="bold">{e.type}</Typography>
                    <Typography variant="pi" textColor="neutral600">{e.eventId}</Typography>
                  </Flex>
                </Td>
                <Td><Typography variant="pi">{e.orderingKey ?? e.objectId ?? '—'}</Typography></Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start" gap={1}>
                    <Badge textColor={STATE_COLORS[e.state].text} backgroundColor={STATE_COLORS[e.state].bg}>{msg(`events.state.${e.state}`, STATE_LABELS[e.state])}</Badge>
                    <Typography variant="pi" textColor="neutral600">{msg('events.attempts', '{n, plural, one {# attempt} other {# attempts}}', { n: e.attempts })}</Typography>
                  </Flex>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start">
                    {e.outcome ? <Typography>{e.outcome}</Typography> : null}
                    {e.lastError && e.state !== 'done' ? <Typography variant="pi" textColor="danger600">{e.lastError}</Typography> : null}
                    {e.state === 'pending' && e.nextAttemptAt ? (
                      <Typography variant="pi" textColor="neutral600">{msg('events.next', 'Next attempt {at}', { at: formatDate(new Date(e.nextAttemptAt), { timeStyle: 'medium' }) })}</Typography>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  {canRetry && e.state === 'dead' ? (
                    <Button variant="secondary" size="S" loading={retrying === e.eventId} onClick={() => void retry(e)} data-action="retry-event">
                      {msg('events.retry', 'Retry')}
                    </Button>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Box>
  );
};
