/**
 * Orders: every checkout, newest first, filtered by status. A paid course purchase can be
 * refunded from here (with `plugin::checkout.orders.refund`): Stripe is asked for the refund, and
 * the order turns "refunded" — and access is revoked — when Stripe's event comes back.
 */
import * as React from 'react';
import {
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
import { ORDER_STATUSES, type AdminOrder, type AdminOrdersResponse, type AdminRefundResponse, type OrderStatus } from '@kp/platform/contracts';
import { errorMessage, ordersQuery } from '../api';
import { PERMISSIONS, t } from '../pluginId';
import { STATUS_LABELS, StatusBadge } from '../components/StatusBadge';

const OrdersPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading: loadingPermissions } = useRBAC(PERMISSIONS.all);
  const [status, setStatus] = React.useState<OrderStatus | 'all'>('all');
  const [page, setPage] = React.useState(1);
  const [orders, setOrders] = React.useState<AdminOrdersResponse | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [refunding, setRefunding] = React.useState<AdminOrder | null>(null);
  const [busy, setBusy] = React.useState(false);

  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const { data } = await get<AdminOrdersResponse>(`/checkout/orders?${ordersQuery(status, page)}`);
      setOrders(data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setLoading(false);
    }
  }, [get, status, page, toggleNotification, formatMessage]);

  React.useEffect(() => {
    void load();
  }, [load]);

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
          <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={() => void load()} loading={loading}>
            {msg('actions.reload', 'Reload')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex gap={4} alignItems="flex-end" paddingBottom={4}>
          <Box minWidth="200px">
            <Field.Root name="status">
              <Field.Label>{msg('filters.status', 'Status')}</Field.Label>
              <SingleSelect
                value={status}
                onChange={(v: string | number) => {
                  setStatus(v as OrderStatus | 'all');
                  setPage(1);
                }}
              >
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
          <EmptyStateLayout content={msg('empty', 'No order with this status.')} />
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
                        {o.kind === 'plan' ? msg('kind.plan', 'Subscription') : msg('kind.course', 'Course')} · {o.paymentIntentId ?? o.checkoutSessionId ?? '—'}
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
      </Layouts.Content>
    </Page.Main>
  );
};

export default OrdersPage;
