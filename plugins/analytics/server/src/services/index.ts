import behaviour from './behaviour';
import health from './health';
import orderRollup from './order-rollup';
import reports from './reports';
import request from './request';
import rollup from './rollup';
import scope from './scope';

export default { behaviour, health, 'order-rollup': orderRollup, reports, request, rollup, scope };
