import behaviour from './behaviour';
import health from './health';
import reports from './reports';
import request from './request';
import rollup from './rollup';
import scope from './scope';

export default { behaviour, health, reports, request, rollup, scope };
