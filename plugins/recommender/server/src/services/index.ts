import courseIndex from './course-index';
import health from './health';
import interactions from './interactions';
import recommendations from './recommendations';

export default { 'course-index': courseIndex, health, interactions, recommendations };
