import health from './health';
import checkout from './checkout';
import webhook from './webhook';
import adminOrders from './admin-orders';
import adminEvents from './admin-events';

export default { health, checkout, webhook, 'admin-orders': adminOrders, 'admin-events': adminEvents };
