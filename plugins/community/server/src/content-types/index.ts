import review from './review';
import ratingSummary from './rating-summary';
import question from './question';
import answer from './answer';
import report from './report';
import moderationEvent from './moderation-event';
import block from './block';

export default {
  review,
  'rating-summary': ratingSummary,
  question,
  answer,
  report,
  'moderation-event': moderationEvent,
  block,
};
