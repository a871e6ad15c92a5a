/**
 * Orders: every checkout, newest first, filtered by status, a search (order id, learner e-mail or
 * username, title) and a creation-date range, exported as CSV with the same filters. A paid course purchase can be
 * refunded from here (with `plugin::checkout.orders.refund`): Stripe is asked for the refund, and
 * the order turns "refunded" — and access is revoked — when Stripe's event comes back.
 */
import * as React from 'react';
import {
  Box,
  Button,
  DatePicker,
  Dialog,
  EmptyStateLayout,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tabs,
  Tbody,
  Td,
  Th,
  TextInput,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowClockwise, ArrowLeft, ArrowRight, FileCsv, Search } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { ORDER_STATUSES, type AdminOrder, type AdminOrdersResponse, type AdminRefundResponse, type OrderStatus } from '@kp/platform/contracts';
import { errorMessage, filterQuery, ordersQuery, type OrderFilter } from '../api';
import { PERMISSIONS, t } from '../pluginId';
import { STATUS_LABELS, StatusBadge } from '../components/StatusBadge';
import { WebhookEventsPanel } from '../components/WebhookEventsPanel';
import { whenAuthReady } from '@kp/platform/admin/auth-ready';

const OrdersPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading: loadingPermissions } = useRBAC(PERMISSIONS.all);
  const [filter, setFilter] = React.useState<OrderFilter>({ status: 'all', q: '' });
  const [search, setSearch] = React.useState('');
  const [exporting, setExporting] = React.useState(false);
  const [page, setPage] = React.useState(1);
  const status = filter.status;
  const change = (patch: Partial<OrderFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const [orders, setOrders] = React.useState<AdminOrdersResponse | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [refunding, setRefunding] = React.useState<AdminOrder | null>(null);
  const [busy, setBusy] = React.useState(false);
  const [tab, setTab] = React.useState<'orders' | 'events'>('orders');

  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const { data } = await get<AdminOrdersResponse>(`/checkout/orders?${ordersQuery(filter, page)}`);
      setOrders(data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setLoading(false);
    }
  }, [get, filter, page, toggleNotification, formatMessage]);

  /** Downloads the orders of the current filters as CSV (the admin token goes with the request). */
  const exportCsv = async () => {
    setExporting(true);
    try {
      const { data } = await get<Blob>(`/checkout/orders/export?${filterQuery(filter).toString()}`, { responseType: 'blob' } as never);
      const url = URL.createObjectURL(data);
      const link = document.createElement('a');
      link.href = url;
      link.download = `orders-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setExporting(false);
    }
  };

  React.useEffect(() => {
    void load();
  }, [load]);

  // Whether Stripe is configured: an empty list then says why nothing can be sold.
  const [stripeConfigured, setStripeConfigured] = React.useState<boolean | null>(null);
  React.useEffect(() => {
    get<{ stripe?: { configured?: boolean } }>('/api/checkout/health')
      .then(({ data }) => setStripeConfigured(data.stripe?.configured !== false))
      .catch(() => setStripeConfigured(null));
  }, [get]);
  const filtered = filter.status !== 'all' || filter.q.trim() !== '' || Boolean(filter.from) || Boolean(filter.to);

  const refund = async (order: AdminOrder) => {
    setBusy(true);
    try {
      const { data } = await post<AdminRefundResponse>(`/checkout/orders/${order.id}/refund`, {});
      toggleNotification({
        type: 'success',
        message: msg('notify.refundRequested', 'Refund {refundId} requested: access is revoked when Stripe confirms it.', { refundId: data.data.refundId }),
      });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setBusy(false);
      setRefunding(null);
    }
  };

  if (loadingPermissions) return <Page.Loading />;
  const canRefund = Boolean(allowedActions.canRefund);
  const items = orders?.results ?? [];
  const pagination = orders?.pagination;

  return (
    <Page.Main>
      <Page.Title>{msg('plugin.name', 'Orders')}</Page.Title>
      <Layouts.Header
        title={msg('plugin.name', 'Orders')}
        subtitle={msg('page.subtitle', '{total, plural, =0 {No order} one {# order} other {# orders}}', { total: pagination?.total ?? 0 })}
        primaryAction={
          <Flex gap={2}>
            <Button variant="secondary" startIcon={<FileCsv />} onClick={() => void exportCsv()} loading={exporting} data-action="export-csv">
              {msg('actions.export', 'Export CSV')}
            </Button>
            <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => void load()} loading={loading}>
              {msg('actions.reload', 'Reload')}
            </Button>
          </Flex>
        }
      />
      <Layouts.Content>
        <Tabs.Root value={tab} onValueChange={(v: string) => setTab(v === 'events' ? 'events' : 'orders')}>
          <Tabs.List aria-label={msg('tabs.label', 'Orders and webhook events')}>
            <Tabs.Trigger value="orders">{msg('tabs.orders', 'Orders')}</Tabs.Trigger>
            <Tabs.Trigger value="events">{msg('tabs.events', 'Webhook events')}</Tabs.Trigger>
          </Tabs.List>
        </Tabs.Root>
        {tab === 'events' ? <WebhookEventsPanel /> : null}
        <div hidden={tab !== 'orders'}>
        <Flex gap={4} alignItems="flex-end" paddingBottom={4} paddingTop={4} wrap="wrap">
          <Box minWidth="280px">
            <form
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                change({ q: search });
              }}
            >
              <Field.Root name="q" hint={msg('filters.searchHint', 'Order id, learner e-mail or username, course or plan title')}>
                <Field.Label>{msg('filters.search', 'Search')}</Field.Label>
                <TextInput
                  type="search"
                  value={search}
                  startAction={<Search />}
                  placeholder={msg('filters.searchPlaceholder', 'ada@example.com')}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
                    setSearch(e.target.value);
                    if (e.target.value === '') change({ q: '' });
                  }}
                  onBlur={() => change({ q: search })}
                />
                <Field.Hint />
              </Field.Root>
            </form>
          </Box>
          <Box minWidth="180px">
            <Field.Root name="from">
              <Field.Label>{msg('filters.from', 'Created from')}</Field.Label>
              <DatePicker value={filter.from} onChange={(d: Date | undefined) => change({ from: d })} onClear={() => change({ from: undefined })} clearLabel={msg('filters.clear', 'Clear')} />
            </Field.Root>
          </Box>
          <Box minWidth="180px">
            <Field.Root name="to">
              <Field.Label>{msg('filters.to', 'Created until')}</Field.Label>
              <DatePicker value={filter.to} onChange={(d: Date | undefined) => change({ to: d })} onClear={() => change({ to: undefined })} clearLabel={msg('filters.clear', 'Clear')} />
            </Field.Root>
          </Box>
          <Box minWidth="200px">
            <Field.Root name="status">
              <Field.Label>{msg('filters.status', 'Status')}</Field.Label>
              <SingleSelect value={status} onChange={(v: string | number) => change({ status: v as OrderStatus | 'all' })}>
                <SingleSelectOption value="all">{msg('filters.all', 'All statuses')}</SingleSelectOption>
                {ORDER_STATUSES.map((s) => (
                  <SingleSelectOption key={s} value={s}>
                    {msg(`status.${s}`, STATUS_LABELS[s])}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>

        {!loading && items.length === 0 ? (
          <EmptyStateLayout
            content={
              stripeConfigured === false && !filtered
                ? msg('empty.noStripe', 'No order yet: Stripe is not configured (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET), so nothing can be bought.')
                : filtered
                  ? msg('empty', 'No order matches these filters.')
                  : msg('empty.none', 'No order yet.')
            }
          />
        ) : (
          <Table colCount={6} rowCount={items.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{msg('table.date', 'Date')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.learner', 'Learner')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.item', 'Item')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.amount', 'Amount')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.status', 'Status')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.actions', 'Actions')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {items.map((o) => (
                <Tr key={o.id} data-order={o.id}>
                  <Td><Typography>{formatDate(new Date(o.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</Typography></Td>
                  <Td><Typography>{o.user?.email ?? o.user?.username ?? '—'}</Typography></Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography fontWeight="bold">{o.title ?? o.course ?? o.plan ?? o.id}</Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {o.kind === 'plan' ? msg('kind.plan', 'Subscription') : o.kind === 'bundle' ? msg('kind.bundle', 'Bundle') : msg('kind.course', 'Course')} · {o.paymentIntentId ?? o.checkoutSessionId ?? '—'}
                      </Typography>
                    </Flex>
                  </Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography>{o.display}</Typography>
                      {o.amountRefunded > 0 ? (
                        <Typography variant="pi" textColor="neutral600">{msg('table.refunded', '{amount} refunded', { amount: o.refundedDisplay })}</Typography>
                      ) : null}
                    </Flex>
                  </Td>
                  <Td>
                    <Flex gap={1} direction="column" alignItems="flex-start">
                      <StatusBadge status={o.status} />
                      {o.disputeStatus ? <Typography variant="pi">{msg(`dispute.${o.disputeStatus}`, `Dispute: ${o.disputeStatus}`)}</Typography> : null}
                      {o.refundRequestedAt && o.status === 'paid' ? (
                        <Typography variant="pi" textColor="neutral600">{msg('table.refundPending', 'Refund requested by {by}', { by: o.refundRequestedBy ?? '—' })}</Typography>
                      ) : null}
                    </Flex>
                  </Td>
                  <Td>
                    {canRefund && o.refundable ? (
                      <Button variant="danger-light" size="S" disabled={busy} onClick={() => setRefunding(o)} aria-label={`${msg('actions.refund', 'Refund')} ${o.title ?? o.id}`}>
                        {msg('actions.refund', 'Refund')}
                      </Button>
                    ) : null}
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

        <Dialog.Root open={refunding !== null} onOpenChange={(open: boolean) => (!open ? setRefunding(null) : undefined)}>
          <Dialog.Content>
            <Dialog.Header>{msg('refund.title', 'Refund this order?')}</Dialog.Header>
            <Dialog.Body>
              <Typography>
                {msg('refund.body', '{amount} will be refunded to {learner} through Stripe. Access to “{item}” ends when Stripe confirms the refund.', {
                  amount: refunding?.display ?? '',
                  learner: refunding?.user?.email ?? '—',
                  item: refunding?.title ?? '',
                })}
              </Typography>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button variant="tertiary">{msg('actions.cancel', 'Cancel')}</Button>
              </Dialog.Cancel>
              <Dialog.Action>
                <Button variant="danger" loading={busy} onClick={() => (refunding ? void refund(refunding) : undefined)}>
                  {msg('refund.confirm', 'Refund')}
                </Button>
              </Dialog.Action>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>
        </div>
      </Layouts.Content>
    </Page.Main>
  );
};

export default whenAuthReady(OrdersPage);
