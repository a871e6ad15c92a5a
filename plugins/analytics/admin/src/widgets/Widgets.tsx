/**
 * Homepage widgets (Strapi's widget API): six small views of the last 30 days from one shared
 * overview request, each linking to its Analytics tab (the link is the widget's own, drawn by Strapi).
 */
import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import type { OverviewReport } from '@kp/platform/contracts';
import { loadOverview, money, percent } from '../api';

function useOverview(): { data: OverviewReport | null; error: string | null } {
  const { get } = useFetchClient();
  const [data, setData] = React.useState<OverviewReport | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    let live = true;
    loadOverview(get)
      .then((d) => live && setData(d))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [get]);
  return { data, error };
}

function Frame(props: { name: string; children: (d: OverviewReport) => React.ReactNode }) {
  const { data, error } = useOverview();
  return (
    <Box padding={2} data-widget={props.name}>
      {error ? <Typography textColor="danger600">{error}</Typography> : !data ? <Typography textColor="neutral600">Loading…</Typography> : props.children(data)}
    </Box>
  );
}

const Big = ({ children }: { children: React.ReactNode }) => <Typography variant="beta">{children}</Typography>;
const Small = ({ children }: { children: React.ReactNode }) => (
  <Typography variant="pi" textColor="neutral600">
    {children}
  </Typography>
);

export const RevenueWidget = () => (
  <Frame name="revenue">
    {(d) =>
      d.revenue.length === 0 ? (
        <Small>No sales in the last 30 days.</Small>
      ) : (
        <Flex direction="column" alignItems="flex-start" gap={2}>
          {d.revenue.map((r) => {
            const delta = r.net - r.previousNet;
            return (
              <Box key={r.currency} data-currency={r.currency}>
                <Big>{money(r.net, r.currency)}</Big>
                <Small>
                  net · {delta >= 0 ? '+' : ''}
                  {money(delta, r.currency)} against {money(r.previousNet, r.currency)} in the 30 days before
                </Small>
              </Box>
            );
          })}
        </Flex>
      )
    }
  </Frame>
);

export const OrdersWidget = () => (
  <Frame name="orders">
    {(d) => (
      <>
        <Big>{d.paidOrders.current}</Big>
        <Small>paid orders · {d.paidOrders.previous} in the 30 days before</Small>
      </>
    )}
  </Frame>
);

export const SubscriptionsWidget = () => (
  <Frame name="subscriptions">
    {(d) => (
      <>
        <Big>{d.subscriptions.active}</Big>
        <Small>live subscriptions · MRR {d.subscriptions.mrr.map((m) => money(m.mrr, m.currency)).join(', ') || '—'}</Small>
      </>
    )}
  </Frame>
);

export const ConversionWidget = () => (
  <Frame name="conversion">
    {(d) => (
      <>
        <Big>{percent(d.conversion.successRate)}</Big>
        <Small>
          checkout success · {d.conversion.paid} paid of {d.conversion.started} sessions
        </Small>
      </>
    )}
  </Frame>
);

export const ReviewQueueWidget = () => (
  <Frame name="review-queue">
    {(d) => (
      <>
        <Big>{d.reviewQueue.waiting}</Big>
        <Small>
          waiting for review
          {d.reviewQueue.oldestWaitingSince ? ` · oldest since ${new Date(d.reviewQueue.oldestWaitingSince).toLocaleDateString()}` : ''}
          {d.reviewQueue.medianHoursToDecision !== null ? ` · median decision ${d.reviewQueue.medianHoursToDecision} h` : ''}
        </Small>
      </>
    )}
  </Frame>
);

export const LearningWidget = () => (
  <Frame name="learning">
    {(d) => (
      <>
        <Big>{d.learning.enrolments}</Big>
        <Small>enrolments · {d.learning.completed} courses completed</Small>
      </>
    )}
  </Frame>
);
