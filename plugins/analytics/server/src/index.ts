import register from './register';
import bootstrap, { stopRollupJob } from './bootstrap';
import config from './config';
import controllers from './controllers';
import routes from './routes';
import services from './services';

export default { register, bootstrap, destroy: stopRollupJob, config, controllers, routes, services };
