import type { Core } from '@strapi/strapi';
import type { ProvidedServices } from '@kp/platform';
import health from './health';
import catalogue from './catalogue';
import platform from './platform';
import posts from './posts';
import ratings from './ratings';
import reviews from './reviews';
import questions from './questions';
import moderation from './moderation';

export default { health, catalogue, platform, posts, ratings, reviews, questions, moderation } satisfies ProvidedServices<'community'> &
  Record<string, (deps: { strapi: Core.Strapi }) => unknown>;
