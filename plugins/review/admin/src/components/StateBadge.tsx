import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ReviewState } from '@kp/platform/contracts';
import { t } from '../pluginId';

const COLORS: Record<ReviewState, { text: string; bg: string }> = {
  draft: { text: 'neutral700', bg: 'neutral150' },
  in_review: { text: 'primary600', bg: 'primary100' },
  changes_requested: { text: 'warning600', bg: 'warning100' },
  approved: { text: 'success600', bg: 'success100' },
};

const DEFAULTS: Record<ReviewState, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
};

export const StateBadge = ({ state }: { state: ReviewState }) => {
  const { formatMessage } = useIntl();
  const c = COLORS[state];
  return (
    <Badge textColor={c.text} backgroundColor={c.bg}>
      {formatMessage({ id: t(`state.${state}`), defaultMessage: DEFAULTS[state] })}
    </Badge>
  );
};

export const ChecksBadge = ({ warnings, failedRequired }: { warnings: number; failedRequired: number }) => {
  const { formatMessage } = useIntl();
  if (failedRequired === 0 && warnings === 0) {
    return (
      <Badge textColor="success600" backgroundColor="success100">
        {formatMessage({ id: t('checks.allPassed'), defaultMessage: 'All checks passed' })}
      </Badge>
    );
  }
  return (
    <Badge textColor="warning600" backgroundColor="warning100">
      {formatMessage({ id: t('checks.warnings'), defaultMessage: '{count, plural, one {# warning} other {# warnings}}' }, { count: warnings + failedRequired })}
    </Badge>
  );
};
