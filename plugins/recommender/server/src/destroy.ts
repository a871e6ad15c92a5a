import type { Core } from '@strapi/strapi';
import { stopGrantRetry, stopListening } from './bootstrap';
import { getService } from './utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  stopGrantRetry();
  stopListening(strapi);
  getService(strapi, 'course-index').stop();
};
