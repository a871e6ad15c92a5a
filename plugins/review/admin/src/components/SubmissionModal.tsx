/**
 * One submission: checks, chapters, history, and the editor's decisions. Approve asks for a
 * confirmation (it publishes); Request changes requires a comment.
 */
import * as React from 'react';
import { Badge, Box, Button, Dialog, Divider, Field, Flex, LinkButton, Loader, Modal, Textarea, Typography } from '@strapi/design-system';
import { Check, Cross, ExternalLink } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import type { ReviewSubmissionDetail } from '@kp/platform/contracts';
import { errorMessage } from '../api';
import { t } from '../pluginId';
import { StateBadge } from './StateBadge';

interface Props {
  courseDocumentId: string;
  minCommentLength: number;
  can: { approve: boolean; requestChanges: boolean; assign: boolean };
  onClose(): void;
  onChanged(): void;
}

export const SubmissionModal = ({ courseDocumentId, minCommentLength, can, onClose, onChanged }: Props) => {
  const { formatMessage, formatDate } = useIntl();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [detail, setDetail] = React.useState<ReviewSubmissionDetail | null>(null);
  const [loading, setLoading] = React.useState(true);
  const [busy, setBusy] = React.useState(false);
  const [commenting, setCommenting] = React.useState(false);
  const [comment, setComment] = React.useState('');
  const [commentError, setCommentError] = React.useState<string | null>(null);
  const [confirmApprove, setConfirmApprove] = React.useState(false);

  const load = React.useCallback(async () => {
    setLoading(true);
    try {
      const { data } = await get<{ data: ReviewSubmissionDetail }>(`/review/submissions/${courseDocumentId}`);
      setDetail(data.data);
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setLoading(false);
    }
  }, [courseDocumentId, get, toggleNotification, formatMessage]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const act = async (path: string, body: unknown, success: string) => {
    setBusy(true);
    try {
      await post(`/review/submissions/${courseDocumentId}/${path}`, body);
      toggleNotification({ type: 'success', message: success });
      setCommenting(false);
      setComment('');
      onChanged();
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: errorMessage(err, formatMessage({ id: t('notify.error'), defaultMessage: 'The request failed.' })) });
    } finally {
      setBusy(false);
    }
  };

  const sendRequest = () => {
    if (comment.trim().length < minCommentLength) {
      setCommentError(formatMessage({ id: t('comment.required'), defaultMessage: 'A comment of at least {min} characters is required.' }, { min: minCommentLength }));
      return;
    }
    setCommentError(null);
    void act('request-changes', { comment }, formatMessage({ id: t('notify.changes'), defaultMessage: 'Changes requested.' }));
  };

  const inReview = detail?.state === 'in_review';
  const fmt = (iso: string | null) => (iso ? formatDate(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' }) : '—');

  return (
    <Modal.Root open onOpenChange={(open) => (!open ? onClose() : undefined)}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{detail?.title ?? courseDocumentId}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {loading && !detail ? (
            <Flex justifyContent="center" padding={6}>
              <Loader>Loading</Loader>
            </Flex>
          ) : detail ? (
            <Flex direction="column" alignItems="stretch" gap={5}>
              <Flex gap={2} wrap="wrap">
                <StateBadge state={detail.state} />
                {detail.live ? <Badge>{formatMessage({ id: t('detail.live'), defaultMessage: 'live' })}</Badge> : null}
                <Typography variant="pi" textColor="neutral600">
                  {detail.instructor?.name ?? '—'} · {fmt(detail.submittedAt)} ·{' '}
                  {formatMessage({ id: t('detail.locales'), defaultMessage: 'Locales: {locales}' }, { locales: detail.locales.join(', ') || '—' })}
                  {detail.assignee ? ` · ${formatMessage({ id: t('table.assignee'), defaultMessage: 'Assignee' })}: ${detail.assignee.name}` : ''}
                </Typography>
              </Flex>
              {detail.live && inReview ? (
                <Typography variant="pi" textColor="warning600">
                  {formatMessage({ id: t('detail.liveCourse'), defaultMessage: 'This course is live: approving replaces the published version.' })}
                </Typography>
              ) : null}
              {detail.course?.summary ? (
                <Box>
                  <Typography variant="sigma" tag="h3">
                    {formatMessage({ id: t('detail.summary'), defaultMessage: 'Summary' })}
                  </Typography>
                  <Typography tag="p">{detail.course.summary}</Typography>
                </Box>
              ) : null}
              <Box>
                <Typography variant="sigma" tag="h3">
                  {formatMessage({ id: t('detail.checks'), defaultMessage: 'Checks' })}
                </Typography>
                <Flex tag="ul" direction="column" alignItems="stretch" gap={1} paddingTop={2}>
                  {detail.checks.map((c) => (
                    <Flex tag="li" key={c.id} gap={2}>
                      {c.passed ? <Check fill="success600" aria-label="passed" /> : <Cross fill={c.level === 'required' ? 'danger600' : 'warning600'} aria-label="failed" />}
                      <Typography variant="omega" textColor={c.passed ? 'neutral800' : c.level === 'required' ? 'danger600' : 'warning600'}>
                        {c.message}
                      </Typography>
                      <Typography variant="pi" textColor="neutral500">
                        ({c.level})
                      </Typography>
                    </Flex>
                  ))}
                </Flex>
              </Box>
              <Box>
                <Typography variant="sigma" tag="h3">
                  {formatMessage({ id: t('detail.chapters'), defaultMessage: 'Chapters' })}
                </Typography>
                <Flex tag="ol" direction="column" alignItems="stretch" gap={1} paddingTop={2}>
                  {(detail.course?.chapters ?? []).map((c) => (
                    <Flex tag="li" key={c.documentId} gap={2}>
                      <Typography>
                        {c.position}. {c.title}
                      </Typography>
                      {c.isPreview ? <Badge>{formatMessage({ id: t('detail.preview'), defaultMessage: 'preview' })}</Badge> : null}
                      {!c.hasContent ? <Badge textColor="warning600">{formatMessage({ id: t('detail.empty'), defaultMessage: 'no content' })}</Badge> : null}
                      {c.live ? <Badge>{formatMessage({ id: t('detail.live'), defaultMessage: 'live' })}</Badge> : null}
                    </Flex>
                  ))}
                </Flex>
              </Box>
              <Box>
                <Typography variant="sigma" tag="h3">
                  {formatMessage({ id: t('detail.history'), defaultMessage: 'History' })}
                </Typography>
                <Flex tag="ol" direction="column" alignItems="stretch" gap={2} paddingTop={2}>
                  {detail.history.map((e) => (
                    <Box tag="li" key={e.id}>
                      <Typography variant="pi" textColor="neutral600">
                        {fmt(e.at)} · {e.actor.name ?? e.actor.type} · {e.action.replace('_', ' ')} ({e.from.replace('_', ' ')} → {e.to.replace('_', ' ')})
                      </Typography>
                      {e.comment ? <Typography tag="p">“{e.comment}”</Typography> : null}
                    </Box>
                  ))}
                </Flex>
              </Box>
              {commenting ? (
                <>
                  <Divider />
                  <Field.Root name="comment" error={commentError ?? undefined} hint={formatMessage({ id: t('comment.hint'), defaultMessage: 'At least {min} characters. The instructor reads this comment.' }, { min: minCommentLength })}>
                    <Field.Label>{formatMessage({ id: t('comment.label'), defaultMessage: 'What should the instructor change?' })}</Field.Label>
                    <Textarea value={comment} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setComment(e.target.value)} />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </>
              ) : null}
            </Flex>
          ) : null}
        </Modal.Body>
        <Modal.Footer>
          <Flex gap={2}>
            <Modal.Close>
              <Button variant="tertiary">{formatMessage({ id: t('actions.close'), defaultMessage: 'Close' })}</Button>
            </Modal.Close>
            {detail ? (
              <LinkButton tag={RouterLink} to={detail.contentManagerPath} variant="tertiary" startIcon={<ExternalLink />}>
                {formatMessage({ id: t('detail.openCm'), defaultMessage: 'Open in Content Manager' })}
              </LinkButton>
            ) : null}
          </Flex>
          {detail && inReview ? (
            <Flex gap={2}>
              {can.assign ? (
                <Button variant="secondary" disabled={busy} onClick={() => void act('assign', {}, formatMessage({ id: t('notify.assigned'), defaultMessage: 'Assigned to you.' }))}>
                  {formatMessage({ id: t('actions.assign'), defaultMessage: 'Assign to me' })}
                </Button>
              ) : null}
              {can.requestChanges ? (
                commenting ? (
                  <>
                    <Button variant="tertiary" onClick={() => setCommenting(false)}>
                      {formatMessage({ id: t('actions.cancel'), defaultMessage: 'Cancel' })}
                    </Button>
                    <Button variant="danger-light" loading={busy} onClick={sendRequest}>
                      {formatMessage({ id: t('actions.send'), defaultMessage: 'Send request' })}
                    </Button>
                  </>
                ) : (
                  <Button variant="danger-light" disabled={busy} onClick={() => setCommenting(true)}>
                    {formatMessage({ id: t('actions.requestChanges'), defaultMessage: 'Request changes' })}
                  </Button>
                )
              ) : null}
              {can.approve && !commenting ? (
                <Dialog.Root open={confirmApprove} onOpenChange={setConfirmApprove}>
                  <Dialog.Trigger>
                    <Button variant="success" disabled={busy} startIcon={<Check />}>
                      {formatMessage({ id: t('actions.approve'), defaultMessage: 'Approve' })}
                    </Button>
                  </Dialog.Trigger>
                  <Dialog.Content>
                    <Dialog.Header>{formatMessage({ id: t('approve.title'), defaultMessage: 'Approve and publish?' })}</Dialog.Header>
                    <Dialog.Body>
                      <Typography>
                        {formatMessage(
                          { id: t('approve.body'), defaultMessage: 'The course and its chapters will be published in every locale that has a draft ({locales}).' },
                          { locales: detail.course?.draftLocales.join(', ') ?? '' }
                        )}
                      </Typography>
                    </Dialog.Body>
                    <Dialog.Footer>
                      <Dialog.Cancel>
                        <Button variant="tertiary">{formatMessage({ id: t('actions.cancel'), defaultMessage: 'Cancel' })}</Button>
                      </Dialog.Cancel>
                      <Dialog.Action>
                        <Button
                          variant="success"
                          onClick={() => void act('approve', {}, formatMessage({ id: t('notify.approved'), defaultMessage: 'Approved: the course is published.' }))}
                        >
                          {formatMessage({ id: t('approve.confirm'), defaultMessage: 'Approve and publish' })}
                        </Button>
                      </Dialog.Action>
                    </Dialog.Footer>
                  </Dialog.Content>
                </Dialog.Root>
              ) : null}
            </Flex>
          ) : null}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
