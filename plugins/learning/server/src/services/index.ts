import health from './health';
import catalogue from './catalogue';
import platform from './platform';
import certificates from './certificates';
import progress from './progress';
import pdf from './pdf';

export default { health, catalogue, platform, certificates, progress, pdf };
