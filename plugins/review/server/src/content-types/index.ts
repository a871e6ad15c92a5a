import submission from './submission';
import reviewEvent from './review-event';

export default {
  submission,
  'review-event': reviewEvent,
};
