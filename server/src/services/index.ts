import settings from './settings';
import sessions from './sessions';
import revisions from './revisions';
import embeds from './embeds';
import validation from './validation';
import saves from './saves';

export default { settings, sessions, revisions, embeds, validation, saves };
