/**
 * Outbox: every message the platform wrote, newest first, by state, with attempts and the last
 * error. A banner says whether messages are delivered (SMTP) or only captured here. "View" shows
 * a message as sent; "Resend" (with `plugin::notifications.outbox.resend`) queues it again.
 */
import * as React from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Dialog,
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
import { ArrowClockwise, ArrowLeft, ArrowRight } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { OUTBOX_STATES, type DeliveryStatusResponse, type OutboxListResponse, type OutboxMessage, type OutboxMessageResponse, type OutboxState } from '@kp/platform/contracts';
import { PERMISSIONS, t } from '../pluginId';
import { AccountRequests } from '../components/AccountRequests';
import { errorMessage } from '@kp/platform/admin';
import { whenAuthReady } from '@kp/platform/admin/auth-ready';

const COLORS: Record<OutboxState, { text: string; bg: string }> = {
  queued: { text: 'neutral700', bg: 'neutral150' },
  sending: { text: 'primary600', bg: 'primary100' },
  sent: { text: 'success600', bg: 'success100' },
  failed: { text: 'danger600', bg: 'danger100' },
  captured: { text: 'warning600', bg: 'warning100' },
};


const OutboxPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading: loadingPermissions } = useRBAC(PERMISSIONS.all);
  const [state, setState] = React.useState<OutboxState | 'all'>('all');
  const [page, setPage] = React.useState(1);
  const [list, setList] = React.useState<OutboxListResponse | null>(null);
  const [status, setStatus] = React.useState<DeliveryStatusResponse['data'] | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [viewing, setViewing] = React.useState<OutboxMessageResponse['data'] | null>(null);
  const [busy, setBusy] = React.useState<number | null>(null);

  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);
  const when = (iso: string) => formatDate(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const params = new URLSearchParams({ page: String(page), pageSize: '20' });
      if (state !== 'all') params.set('state', state);
      const [messages, delivery] = await Promise.all([get<OutboxListResponse>(`/notifications/outbox?${params.toString()}`), get<DeliveryStatusResponse>('/notifications/status')]);
      setList(messages.data);
      setStatus(delivery.data.data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setLoading(false);
    }
  }, [get, state, page, toggleNotification, formatMessage]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const view = async (m: OutboxMessage) => {
    try {
      const { data } = await get<OutboxMessageResponse>(`/notifications/outbox/${m.id}`);
      setViewing(data.data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    }
  };

  const resend = async (m: OutboxMessage) => {
    setBusy(m.id);
    try {
      await post(`/notifications/outbox/${m.id}/resend`, {});
      toggleNotification({ type: 'success', message: msg('notify.resent', 'Message queued again: the worker sends it shortly.') });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setBusy(null);
    }
  };

  if (loadingPermissions) return <Page.Loading />;
  const canResend = Boolean(allowedActions.canResend) && status?.mode === 'smtp';
  const items = list?.results ?? [];
  const pagination = list?.pagination;

  return (
    <Page.Main>
      <Page.Title>{msg('plugin.name', 'Outbox')}</Page.Title>
      <Layouts.Header
        title={msg('plugin.name', 'Outbox')}
        subtitle={msg('page.subtitle', '{total, plural, =0 {No message} one {# message} other {# messages}}', { total: pagination?.total ?? 0 })}
        primaryAction={
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => void load()} loading={loading}>
            {msg('actions.reload', 'Reload')}
          </Button>
        }
      />
      <Layouts.Content>
        {status ? (
          <Box paddingBottom={4} data-delivery={status.mode}>
            <Alert closeLabel="" onClose={() => undefined} variant={status.mode === 'capture' ? 'warning' : 'success'} title={status.mode === 'capture' ? msg('mode.capture', 'Messages are not being delivered') : msg('mode.smtp', 'Messages are delivered')}>
              {status.message}
            </Alert>
          </Box>
        ) : null}
        <Flex gap={4} alignItems="flex-end" paddingBottom={4}>
          <Box minWidth="200px">
            <Field.Root name="state">
              <Field.Label>{msg('filters.state', 'State')}</Field.Label>
              <SingleSelect
                value={state}
                onChange={(v: string | number) => {
                  setState(v as OutboxState | 'all');
                  setPage(1);
                }}
              >
                <SingleSelectOption value="all">{msg('filters.all', 'All states')}</SingleSelectOption>
                {OUTBOX_STATES.map((s) => (
                  <SingleSelectOption key={s} value={s}>
                    {msg(`state.${s}`, s)} ({status?.counts[s] ?? 0})
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>

        {!loading && items.length === 0 ? (
          <EmptyStateLayout content={msg('empty', 'No message in this state.')} />
        ) : (
          <Table colCount={6} rowCount={items.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{msg('table.date', 'Date')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.recipient', 'Recipient')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.message', 'Message')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.state', 'State')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.attempts', 'Attempts')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.actions', 'Actions')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {items.map((m) => (
                <Tr key={m.id} data-message={m.id}>
                  <Td><Typography>{when(m.createdAt)}</Typography></Td>
                  <Td><Typography>{m.recipient}</Typography></Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography fontWeight="bold">{m.subject}</Typography>
                      <Typography variant="pi" textColor="neutral600">{m.template} · {m.locale}</Typography>
                    </Flex>
                  </Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Badge textColor={COLORS[m.state].text} backgroundColor={COLORS[m.state].bg}>{msg(`state.${m.state}`, m.state)}</Badge>
                      {m.lastError ? <Typography variant="pi" textColor="danger600">{m.lastError}</Typography> : null}
                      {m.state === 'queued' && m.nextAttemptAt ? (
                        <Typography variant="pi" textColor="neutral600">{msg('table.nextAttempt', 'Next attempt {at}', { at: when(m.nextAttemptAt) })}</Typography>
                      ) : null}
                    </Flex>
                  </Td>
                  <Td><Typography>{m.attempts}</Typography></Td>
                  <Td>
                    <Flex gap={2}>
                      <Button variant="tertiary" size="S" onClick={() => void view(m)}>{msg('actions.view', 'View')}</Button>
                      {canResend ? (
                        <Button variant="secondary" size="S" loading={busy === m.id} onClick={() => void resend(m)} aria-label={`${msg('actions.resend', 'Resend')} ${m.subject}`}>
                          {msg('actions.resend', 'Resend')}
                        </Button>
                      ) : null}
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}

        {pagination && pagination.pageCount > 1 ? (
          <Flex justifyContent="flex-end" gap={2} paddingTop={4}>
            <Button variant="tertiary" startIcon={<ArrowLeft />} disabled={pagination.page <= 1} onClick={() => setPage(pagination.page - 1)}>
              {pagination.page - 1}
            </Button>
            <Typography>
              {pagination.page} / {pagination.pageCount}
            </Typography>
            <Button variant="tertiary" endIcon={<ArrowRight />} disabled={pagination.page >= pagination.pageCount} onClick={() => setPage(pagination.page + 1)}>
              {pagination.page + 1}
            </Button>
          </Flex>
        ) : null}

        <Dialog.Root open={viewing !== null} onOpenChange={(open: boolean) => (!open ? setViewing(null) : undefined)}>
          <Dialog.Content>
            <Dialog.Header>{viewing?.subject ?? ''}</Dialog.Header>
            <Dialog.Body>
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Typography variant="pi" textColor="neutral600">{viewing ? `${viewing.recipient} · ${viewing.template} · ${viewing.locale}` : ''}</Typography>
                <Box padding={3} background="neutral100" hasRadius>
                  <Typography tag="pre" style={{ whiteSpace: 'pre-wrap' }}>{viewing?.text ?? ''}</Typography>
                </Box>
              </Flex>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button variant="tertiary">{msg('actions.close', 'Close')}</Button>
              </Dialog.Cancel>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>
        {allowedActions.canManage ? <AccountRequests /> : null}
      </Layouts.Content>
    </Page.Main>
  );
};

export default whenAuthReady(OutboxPage);
