import behaviour from './behaviour';
import behaviourModels from './behaviour-models';
import health from './health';
import orderRollup from './order-rollup';
import reports from './reports';
import request from './request';
import rollup from './rollup';
import scope from './scope';

export default { behaviour, 'behaviour-models': behaviourModels, health, 'order-rollup': orderRollup, reports, request, rollup, scope };
