import type { Core } from '@strapi/strapi';
import { isUniqueViolation } from '@kp/platform';
import { STRIPE_CUSTOMER_UID, WEBHOOK_EVENT_UID } from '../content-types';
import { getService } from '../utils';

export interface CustomerOwner {
  id: number;
  documentId: string;
  email: string;
  username?: string;
}

interface CustomerRow {
  id: number;
  stripeCustomerId: string;
}

/** How a `customer.deleted` event records whose customer it dropped (its stored detail). */
export function droppedCustomerDetail(userKey: string | number): string {
  return `user ${userKey}`;
}

/** One Stripe Customer per learner, created on the first checkout and reused afterwards. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(STRIPE_CUSTOMER_UID);

  return {
    async findCustomerId(userId: number): Promise<string | null> {
      const row = (await query().findOne({ where: { userKey: String(userId) }, select: ['stripeCustomerId'] })) as CustomerRow | null;
      return row?.stripeCustomerId ?? null;
    },

    async findUserIdByCustomer(customerId: string): Promise<number | null> {
      const row = (await query().findOne({
        where: { stripeCustomerId: customerId },
        populate: { user: { select: ['id'] } },
      })) as { user?: { id: number } | null } | null;
      return row?.user?.id ?? null;
    },

    /** The learner's Stripe customer id, creating the customer at Stripe the first time. */
    async ensureCustomer(user: CustomerOwner): Promise<string> {
      const existing = await this.findCustomerId(user.id);
      if (existing) return existing;
      // Customers of this learner deleted at Stripe (recorded by customer.deleted, see event-handlers.ts).
      const generation = Number(await strapi.db.query(WEBHOOK_EVENT_UID).count({ where: { detail: droppedCustomerDetail(user.id), outcome: 'customer-dropped' } }));
      const created = await getService(strapi, 'stripe-api').createCustomer({
        generation,
        userId: user.id,
        userDocumentId: user.documentId,
        email: user.email,
        name: user.username,
      });
      try {
        await query().create({
          data: { user: user.id, userKey: String(user.id), stripeCustomerId: created.id, email: user.email, livemode: created.livemode },
        });
        return created.id;
      } catch (error) {
        // A concurrent first checkout stored it first; Stripe's idempotency key gave both the same customer.
        if (!isUniqueViolation(error)) throw error;
        const winner = await this.findCustomerId(user.id);
        if (!winner) throw error;
        return winner;
      }
    },
  };
};
