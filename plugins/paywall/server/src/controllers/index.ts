import health from './health';
import me from './me';
import access from './access';
import media from './media';

export default { health, me, access, media };
