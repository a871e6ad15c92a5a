/**
 * The Community page: reported (most reports first), recent and hidden reviews, questions and
 * answers; hide with a reason, restore, block or unblock an author; the latest audit rows. Post
 * text is rendered as text (React escapes it), never as HTML.
 */
import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  EmptyStateLayout,
  Field,
  Flex,
  Modal,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Textarea,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowLeft, ArrowRight } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification, useRBAC } from '@strapi/strapi/admin';
import { errorMessage } from '@kp/platform/admin';
import { useIntl } from 'react-intl';
import type { CommunityModerationEvent, CommunityModerationItem, CommunityModerationItemsResponse, CommunityPostKind } from '@kp/platform/contracts';
import { PERMISSIONS, t } from '../pluginId';
import { whenAuthReady } from '@kp/platform/admin/auth-ready';

type Filter = 'reported' | 'recent' | 'hidden';
type Kind = CommunityPostKind | 'all';


/** Table cells keep text on one line by default: posts wrap, long addresses included. */
const WRAP = { whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;

const excerpt = (text: string | null, max = 160) => (text && text.length > max ? `${text.slice(0, max)}…` : text ?? '—');

const CommunityPage = () => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading: loadingPermissions } = useRBAC(PERMISSIONS.all);
  const canModerate = Boolean(allowedActions.canModerate);
  const [filter, setFilter] = React.useState<Filter>('reported');
  const [kind, setKind] = React.useState<Kind>('all');
  const [page, setPage] = React.useState(1);
  const [items, setItems] = React.useState<CommunityModerationItemsResponse | null>(null);
  const [events, setEvents] = React.useState<CommunityModerationEvent[]>([]);
  const [loading, setLoading] = React.useState(true);
  const [hiding, setHiding] = React.useState<CommunityModerationItem | null>(null);
  const [reason, setReason] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const msg = (key: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: t(key), defaultMessage }, values);

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const [list, audit] = await Promise.all([
        get<CommunityModerationItemsResponse>(`/community/moderation/items?filter=${filter}&kind=${kind}&page=${page}&pageSize=20`),
        get<{ data: CommunityModerationEvent[] }>('/community/moderation/events?pageSize=10'),
      ]);
      setItems(list.data);
      setEvents(audit.data.data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter, kind, page, get, toggleNotification]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const act = async (run: () => Promise<unknown>, success: string) => {
    setBusy(true);
    try {
      await run();
      toggleNotification({ type: 'success', message: success });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, msg('notify.error', 'The request failed.')) });
    } finally {
      setBusy(false);
    }
  };

  if (loadingPermissions) return <Page.Loading />;

  const rows = items?.data ?? [];
  const pagination = items?.meta.pagination;
  const kindLabel = (k: Kind) => msg(`kind.${k}`, { all: 'All posts', review: 'Review', question: 'Question', answer: 'Answer' }[k]);

  return (
    <Page.Main>
      <Page.Title>{msg('plugin.name', 'Community')}</Page.Title>
      <Layouts.Header title={msg('plugin.name', 'Community')} subtitle={msg('page.subtitle', 'Reviews, questions and answers reported or posted by learners')} />
      <Layouts.Content>
        <Flex gap={4} wrap="wrap" alignItems="flex-end" paddingBottom={4}>
          <Box minWidth="180px">
            <Field.Root name="filter">
              <Field.Label>{msg('filters.show', 'Show')}</Field.Label>
              <SingleSelect value={filter} onChange={(v: string | number) => { setFilter(v as Filter); setPage(1); }}>
                <SingleSelectOption value="reported">{msg('filters.reported', 'Reported')}</SingleSelectOption>
                <SingleSelectOption value="recent">{msg('filters.recent', 'Recent')}</SingleSelectOption>
                <SingleSelectOption value="hidden">{msg('filters.hidden', 'Hidden')}</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Box>
          <Box minWidth="180px">
            <Field.Root name="kind">
              <Field.Label>{msg('filters.kind', 'Kind')}</Field.Label>
              <SingleSelect value={kind} onChange={(v: string | number) => { setKind(v as Kind); setPage(1); }}>
                {(['all', 'review', 'question', 'answer'] as Kind[]).map((k) => (
                  <SingleSelectOption key={k} value={k}>
                    {kindLabel(k)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>

        {!loading && rows.length === 0 ? (
          <EmptyStateLayout content={msg('empty', 'Nothing here.')} />
        ) : (
          <Table colCount={7} rowCount={rows.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{msg('table.kind', 'Kind')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.text', 'Text')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.author', 'Author')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.reports', 'Reports')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.state', 'State')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.posted', 'Posted')}</Typography></Th>
                <Th><Typography variant="sigma">{msg('table.actions', 'Actions')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((item) => (
                <Tr key={`${item.kind}-${item.id}`} data-item={`${item.kind}-${item.id}`}>
                  <Td>
                    <Typography>
                      {kindLabel(item.kind)}
                      {item.stars ? ` · ${'★'.repeat(item.stars)}` : ''}
                    </Typography>
                  </Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start" gap={1} maxWidth="420px" style={WRAP}>
                      <Typography style={WRAP}>{excerpt(item.text)}</Typography>
                      {item.hiddenReason ? (
                        <Typography variant="pi" textColor="danger600" style={WRAP}>
                          {msg('table.hiddenBecause', 'Hidden: {reason}', { reason: item.hiddenReason })}
                        </Typography>
                      ) : null}
                    </Flex>
                  </Td>
                  <Td>
                    <Flex gap={2}>
                      <Typography>{item.author.name ?? `#${item.author.userId}`}</Typography>
                      {item.author.blocked ? <Badge>{msg('table.blocked', 'blocked')}</Badge> : null}
                    </Flex>
                  </Td>
                  <Td><Typography>{item.openReports}</Typography></Td>
                  <Td><Badge active={item.state === 'visible'}>{item.state === 'visible' ? msg('state.visible', 'Visible') : msg('state.hidden', 'Hidden')}</Badge></Td>
                  <Td><Typography>{formatDate(new Date(item.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</Typography></Td>
                  <Td>
                    {canModerate ? (
                      <Flex direction="column" alignItems="stretch" gap={2}>
                        {item.state === 'visible' ? (
                          <Button size="S" variant="danger-light" disabled={busy} onClick={() => { setHiding(item); setReason(''); }}>
                            {msg('action.hide', 'Hide')}
                          </Button>
                        ) : (
                          <Button size="S" variant="secondary" disabled={busy} onClick={() => void act(() => post(`/community/moderation/${item.kind}/${item.id}/restore`, {}), msg('notify.restored', 'Restored.'))}>
                            {msg('action.restore', 'Restore')}
                          </Button>
                        )}
                        {item.author.blocked ? (
                          <Button size="S" variant="tertiary" disabled={busy} onClick={() => void act(() => del(`/community/moderation/users/${item.author.userId}/block`), msg('notify.unblocked', 'Author unblocked.'))}>
                            {msg('action.unblock', 'Unblock author')}
                          </Button>
                        ) : (
                          <Button size="S" variant="tertiary" disabled={busy} onClick={() => void act(() => post(`/community/moderation/users/${item.author.userId}/block`, {}), msg('notify.blocked', 'Author blocked.'))}>
                            {msg('action.block', 'Block author')}
                          </Button>
                        )}
                      </Flex>
                    ) : (
                      <Typography variant="pi" textColor="neutral600">{msg('readOnly', 'Read only')}</Typography>
                    )}
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

        <Box paddingTop={8}>
          <Typography variant="delta" tag="h2">{msg('audit.title', 'Latest moderation actions')}</Typography>
          <Box paddingTop={2}>
            {events.length === 0 ? (
              <Typography textColor="neutral600">{msg('audit.empty', 'No moderation action yet.')}</Typography>
            ) : (
              <Table colCount={4} rowCount={events.length + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{msg('audit.when', 'When')}</Typography></Th>
                    <Th><Typography variant="sigma">{msg('audit.who', 'Editor')}</Typography></Th>
                    <Th><Typography variant="sigma">{msg('audit.what', 'Action')}</Typography></Th>
                    <Th><Typography variant="sigma">{msg('audit.why', 'Reason')}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {events.map((e) => (
                    <Tr key={e.id}>
                      <Td><Typography>{formatDate(new Date(e.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}</Typography></Td>
                      <Td><Typography>{e.adminName ?? '—'}</Typography></Td>
                      <Td><Typography>{`${e.action} ${e.targetType} #${e.targetId}`}</Typography></Td>
                      <Td><Typography>{e.reason ?? '—'}</Typography></Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
          </Box>
        </Box>
      </Layouts.Content>

      {hiding ? (
        <Modal.Root open onOpenChange={(open: boolean) => (!open ? setHiding(null) : undefined)}>
          <Modal.Content>
            <Modal.Header>
              <Modal.Title>{msg('hide.title', 'Hide this {kind}', { kind: kindLabel(hiding.kind).toLowerCase() })}</Modal.Title>
            </Modal.Header>
            <Modal.Body>
              <Typography>{excerpt(hiding.text, 400)}</Typography>
              <Box paddingTop={4}>
                <Field.Root name="reason" hint={msg('hide.hint', 'The author sees this reason; the public no longer sees the post.')}>
                  <Field.Label>{msg('hide.reason', 'Reason')}</Field.Label>
                  <Textarea value={reason} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setReason(e.target.value)} />
                  <Field.Hint />
                </Field.Root>
              </Box>
            </Modal.Body>
            <Modal.Footer>
              <Modal.Close>
                <Button variant="tertiary">{msg('hide.cancel', 'Cancel')}</Button>
              </Modal.Close>
              <Button
                variant="danger"
                disabled={busy || reason.trim().length < 3}
                onClick={() =>
                  void act(() => post(`/community/moderation/${hiding.kind}/${hiding.id}/hide`, { reason }), msg('notify.hidden', 'Hidden.')).then(() => setHiding(null))
                }
              >
                {msg('hide.confirm', 'Hide')}
              </Button>
            </Modal.Footer>
          </Modal.Content>
        </Modal.Root>
      ) : null}
    </Page.Main>
  );
};

const ProtectedCommunityPage = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <CommunityPage />
  </Page.Protect>
);

export default whenAuthReady(ProtectedCommunityPage);
