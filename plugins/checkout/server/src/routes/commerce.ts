/**
 * Bundles and gifts: the public list of bundles on sale, and the claim of a gift code. Buying a
 * bundle or a gift is `POST /api/checkout/sessions` with `bundle` and/or `giftEmail`.
 */
import { route } from '@kp/platform';
import { bundlesQuery, bundlesResponse, claimGiftBody, claimGiftResponse } from './commerce-schemas';

export const listBundles = route({
  method: 'GET',
  path: '/bundles',
  handler: 'commerce.listBundles',
  config: { policies: [] },
  summary: 'The bundles on sale: several courses at one price',
  request: { query: bundlesQuery },
  response: bundlesResponse,
  errors: { 400: 'an unknown query parameter or locale' },
  examples: [
    { name: 'Bundles on sale', as: 'anonymous', status: 200 },
    { name: 'In Chinese', query: { locale: 'zh-Hans' }, as: 'learner', status: 200 },
  ],
});

export const claimGift = route({
  method: 'POST',
  path: '/gifts/claim',
  handler: 'commerce.claimGift',
  config: { policies: [] },
  summary: 'Claim a gift code: its courses open on the caller’s account',
  description: 'A code is claimed once. The buyer of a gift cannot claim it; a refunded gift cannot be claimed.',
  request: { body: claimGiftBody },
  response: claimGiftResponse,
  errors: {
    400: 'invalid body, or not a code (wrong length or characters)',
    403: 'without a learner’s JWT',
    404: 'no gift with this code',
    409: 'already claimed; canceled by a refund; the caller bought it; the caller already has every course of it',
  },
  examples: [
    { name: 'A code that does not exist', body: { code: 'K7Q2-9XMB-4TRD-Z1HP-6WNC' }, as: 'learner', status: 404 },
    { name: 'Not a code', body: { code: 'hello' }, as: 'learner', status: 400 },
    { name: 'Anonymous', body: { code: 'K7Q2-9XMB-4TRD-Z1HP-6WNC' }, as: 'anonymous', status: 403 },
  ],
});

export const commerceRoutes = [listBundles, claimGift];
