import settings from './settings';
import sessions from './sessions';
import callback from './callback';
import embed from './embed';
import revisions from './revisions';

export default { settings, sessions, callback, embed, revisions };
