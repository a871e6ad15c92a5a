import admin from './admin';
import health from './health';
import instructor from './instructor';

export default { admin, health, instructor };
