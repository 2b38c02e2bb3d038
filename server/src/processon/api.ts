/**
 * Shapes of the plugin's admin API (routes under `/processon` of the admin API), shared by the
 * server controllers and the admin panel.
 */
import type { Category } from './categories';
import type { FormDescriptor } from './forms';

/** Settings an administrator can edit in Settings → ProcessOn. */
export interface EditableSettings {
  appkey: string;
  apiBaseUrl: string;
  publicUrl: string;
  hidebtn: boolean;
}

export type SettingKey = keyof EditableSettings;

export const SETTING_KEYS: readonly SettingKey[] = ['appkey', 'apiBaseUrl', 'publicUrl', 'hidebtn'];

/** Where a setting's value comes from: fixed ones (config, env) are read-only in the admin. */
export type SettingSource = 'default' | 'store' | 'config' | 'env';

/** GET/PUT /processon/settings answer. */
export interface SettingsResponse {
  data: {
    values: EditableSettings;
    sources: Record<SettingKey, SettingSource>;
    /** Env variable that fixes each key (documentation for the read-only note). */
    envNames: Record<SettingKey, string>;
    /** `<publicUrl>/api/processon/callback`, or null while publicUrl is empty. */
    callbackUrl: string | null;
  };
}

/** PUT /processon/settings body: any subset of the editable keys. */
export type SettingsUpdateBody = Partial<EditableSettings>;

/** GET /processon/status answer: what the field needs to know (any admin user may read it). */
export interface StatusResponse {
  data: {
    configured: boolean;
    /** Keys that must be set before the editor can open. */
    missing: SettingKey[];
    /** Origin of the ProcessOn API (where editor messages come from), or null. */
    apiOrigin: string | null;
    hidebtn: boolean;
  };
}

/** POST /processon/sessions body: open the editor for one diagram field of one document. */
export interface CreateSessionBody {
  /** Content type uid, e.g. api::article.article */
  uid: string;
  /** documentId; absent for an entry not saved yet. */
  documentId?: string | null;
  locale?: string | null;
  /** Field path in the entry, e.g. "diagram" or "sections.0.diagram". */
  field: string;
  chartid: string;
  category: Category;
  title: string;
  /** The def currently in the form ('' for a new diagram). */
  def: string;
}

export interface CreateSessionResponse {
  data: {
    sessionId: string;
    expiresAt: string;
    /** The form to post into the editor iframe. */
    form: FormDescriptor<'edit'>;
  };
}

/** A stored save, as the admin sees it. */
export interface RevisionDTO {
  id: string;
  chartid: string;
  def: string;
  size: number;
  valid: boolean;
  sha256: string;
  source: 'callback' | 'postMessage' | 'restore';
  createdAt: string;
}

/** GET /processon/sessions/:sessionId answer: the newest save received through that session. */
export interface SessionStateResponse {
  data: {
    sessionId: string;
    chartid: string;
    expiresAt: string;
    /** The revision the newest save through this session resulted in (an identical save is stored once). */
    revision: RevisionDTO | null;
    /** When the newest save through this session arrived (changes even for an identical save). */
    savedAt: string | null;
  };
}
