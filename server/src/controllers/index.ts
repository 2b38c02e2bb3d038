import settings from './settings';
import sessions from './sessions';
import callback from './callback';
import embed from './embed';

export default { settings, sessions, callback, embed };
