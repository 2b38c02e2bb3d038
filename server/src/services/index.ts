import settings from './settings';
import sessions from './sessions';
import revisions from './revisions';
import embeds from './embeds';
import validation from './validation';
import saves from './saves';
import usage from './usage';
import callbackCheck from './callback-check';

export default { settings, sessions, revisions, embeds, validation, saves, usage, 'callback-check': callbackCheck };
