import health from './health';
import checkout from './checkout';
import webhook from './webhook';
import adminOrders from './admin-orders';
import commerce from './commerce';

export default { health, checkout, webhook, 'admin-orders': adminOrders, commerce };
