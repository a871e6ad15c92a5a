import type { Core } from '@strapi/strapi';
import { getService } from './utils';
import { registerOutboxMetrics } from './metrics';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const account = getService(strapi, 'account');
  account.wrapEmailService();
  await account.configureUsersPermissions();
  getService(strapi, 'messages').listen();
  getService(strapi, 'worker').start();
  registerOutboxMetrics(strapi);
};
