import health from './health';
import instructor from './instructor';
import editor from './editor';

export default { health, instructor, editor };
