import settings from './settings';
import sessions from './sessions';
import callback from './callback';
import embed from './embed';
import revisions from './revisions';
import forms from './forms';

export default { settings, sessions, callback, embed, revisions, forms };
