import type { Core } from '@strapi/strapi';
import { getService } from './utils';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  getService(strapi, 'messages').stop();
  await getService(strapi, 'worker').stop();
};
