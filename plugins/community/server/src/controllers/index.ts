import health from './health';
import ratings from './ratings';
import reviews from './reviews';
import questions from './questions';
import me from './me';
import reports from './reports';
import moderation from './moderation';

export default { health, ratings, reviews, questions, me, reports, moderation };
