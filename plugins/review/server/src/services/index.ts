import health from './health';
import courseFacts from './course-facts';
import submissions from './submissions';
import publisher from './publisher';
import authoring from './authoring';
import media from './media';

export default {
  health,
  'course-facts': courseFacts,
  submissions,
  publisher,
  authoring,
  media,
};
