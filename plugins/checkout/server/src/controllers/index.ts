import health from './health';
import checkout from './checkout';
import webhook from './webhook';
import adminOrders from './admin-orders';
import coupons from './coupons';
import adminCoupons from './admin-coupons';
import adminEvents from './admin-events';
import commerce from './commerce';

export default { health, checkout, webhook, 'admin-orders': adminOrders, coupons, 'admin-coupons': adminCoupons, 'admin-events': adminEvents, commerce };
