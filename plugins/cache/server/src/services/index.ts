import catalogue from './catalogue';
import health from './health';
import principals from './principals';

export default { catalogue, health, principals };
