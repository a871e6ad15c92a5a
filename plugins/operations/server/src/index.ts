import bootstrap from './bootstrap';
import destroy from './destroy';
import config from './config';
import controllers from './controllers';
import middlewares from './middlewares';
import routes from './routes';
import services from './services';

export default {
  bootstrap,
  destroy,
  config,
  controllers,
  middlewares,
  routes,
  services,
};
