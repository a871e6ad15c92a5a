import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { OrderStatus } from '@kp/platform/contracts';
import { t } from '../pluginId';

const COLORS: Record<OrderStatus, { text: string; bg: string }> = {
  pending: { text: 'neutral700', bg: 'neutral150' },
  paid: { text: 'success600', bg: 'success100' },
  refunded: { text: 'secondary600', bg: 'secondary100' },
  disputed: { text: 'danger600', bg: 'danger100' },
  expired: { text: 'neutral600', bg: 'neutral100' },
  failed: { text: 'warning600', bg: 'warning100' },
};

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: 'Pending',
  paid: 'Paid',
  refunded: 'Refunded',
  disputed: 'Disputed',
  expired: 'Expired',
  failed: 'Failed',
};

export const StatusBadge = ({ status }: { status: OrderStatus }) => {
  const { formatMessage } = useIntl();
  const c = COLORS[status];
  return (
    <Badge textColor={c.text} backgroundColor={c.bg}>
      {formatMessage({ id: t(`status.${status}`), defaultMessage: STATUS_LABELS[status] })}
    </Badge>
  );
};
