import catalogue from './catalogue';
import principals from './principals';

export default { catalogue, principals };
