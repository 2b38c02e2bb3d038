import editSession from './edit-session';
import revision from './revision';

export default { 'edit-session': editSession, revision };
