import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { REVIEW_EVENT_UID } from './constants';

/** The audit trail is append-only: the Query Engine refuses to change or delete a review event. */
function refuseChange(): never {
  throw new errors.ForbiddenError('Review events are append-only.');
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.db.lifecycles.subscribe({
    models: [REVIEW_EVENT_UID],
    beforeUpdate: refuseChange,
    beforeUpdateMany: refuseChange,
    beforeDelete: refuseChange,
    beforeDeleteMany: refuseChange,
  });
};
