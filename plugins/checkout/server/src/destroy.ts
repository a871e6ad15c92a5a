import type { Core } from '@strapi/strapi';
import { getService } from './utils';

/** Stops the inbox worker and waits for the event being applied (its transaction commits or rolls back). */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'inbox-worker').stop();
};
