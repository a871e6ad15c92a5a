/**
 * A side panel in the Content Manager's edit view of a course: its review state, when it was
 * submitted or decided, the last comment, and a link to its review page. Read from the review
 * plugin's admin API (`GET /review/submissions/:documentId`, `plugin::review.read`); a course never
 * submitted is a draft; without the permission the panel says nothing.
 */
import * as React from 'react';
import { Flex, Link, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import type { ReviewSubmissionDetail } from '@kp/platform/contracts';
import { PLUGIN_ID, t } from '../pluginId';
import { StateBadge } from './StateBadge';

const COURSE_UID = 'api::course.course';

type Loaded = { kind: 'loading' } | { kind: 'never' } | { kind: 'hidden' } | { kind: 'ok'; detail: ReviewSubmissionDetail };

const ReviewStateContent = ({ documentId }: { documentId: string }) => {
  const { get } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const [state, setState] = React.useState<Loaded>({ kind: 'loading' });
  const msg = (key: string, defaultMessage: string, values?: Record<string, string>) => formatMessage({ id: t(key), defaultMessage }, values);

  React.useEffect(() => {
    let live = true;
    get<{ data: ReviewSubmissionDetail }>(`/review/submissions/${encodeURIComponent(documentId)}`)
      .then(({ data }) => live && setState({ kind: 'ok', detail: data.data }))
      .catch((err: { status?: number; response?: { status?: number } }) => {
        const status = err?.status ?? err?.response?.status;
        if (live) setState({ kind: status === 404 ? 'never' : 'hidden' });
      });
    return () => {
      live = false;
    };
  }, [get, documentId]);

  if (state.kind === 'loading') return <Typography variant="pi">{msg('panel.loading', 'Loading…')}</Typography>;
  if (state.kind === 'hidden') return <Typography variant="pi">{msg('panel.noAccess', 'You cannot read the review queue.')}</Typography>;
  if (state.kind === 'never') {
    return (
      <Flex direction="column" alignItems="flex-start" gap={1} data-review-state="draft">
        <StateBadge state="draft" />
        <Typography variant="pi">{msg('panel.never', 'Never submitted for review.')}</Typography>
      </Flex>
    );
  }
  const d = state.detail;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1} data-review-state={d.state}>
      <StateBadge state={d.state} />
      {d.submittedAt ? (
        <Typography variant="pi">{msg('panel.submitted', 'Submitted {date}', { date: formatDate(new Date(d.submittedAt), { dateStyle: 'medium' }) })}</Typography>
      ) : null}
      {d.lastComment ? <Typography variant="pi">“{d.lastComment}”</Typography> : null}
      <Link href={`/admin/plugins/${PLUGIN_ID}`}>{msg('panel.open', 'Open the review queue')}</Link>
    </Flex>
  );
};

/** The panel, for `content-manager`'s `addEditViewSidePanel`: courses only, once they exist. */
export const ReviewStatePanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  const { formatMessage } = useIntl();
  if (model !== COURSE_UID || !documentId) return null;
  return { title: formatMessage({ id: t('panel.title'), defaultMessage: 'Review' }), content: <ReviewStateContent documentId={documentId} /> };
};
