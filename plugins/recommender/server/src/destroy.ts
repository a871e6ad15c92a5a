import type { Core } from '@strapi/strapi';
import { stopGrantRetry } from './bootstrap';
import { getService } from './utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  stopGrantRetry();
  getService(strapi, 'course-index').stop();
};
