import events from './events';
import health from './health';
import indexAdmin from './index-admin';
import recommendations from './recommendations';

export default { events, health, 'index-admin': indexAdmin, recommendations };
