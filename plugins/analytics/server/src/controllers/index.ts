import admin from './admin';
import behaviour from './behaviour';
import health from './health';
import instructor from './instructor';

export default { admin, behaviour, health, instructor };
