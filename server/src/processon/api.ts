/**
 * Shapes of the plugin's admin API (routes under `/processon` of the admin API), shared by the
 * server controllers and the admin panel.
 */
import type { Category } from './categories';
import type { ErrorCode } from './errors';
import type { ExportType, FormDescriptor } from './forms';
import type {
  EditableSettings,
  QuotaPeriod,
  QuotaState,
  SettingKey,
  SettingsUpdate,
} from './settings';

/** Where a setting's value comes from: fixed ones (config, env) are read-only in the admin. */
export type SettingSource = 'default' | 'store' | 'config' | 'env';

/** GET/PUT /processon/settings answer. */
export interface SettingsResponse {
  data: {
    values: EditableSettings;
    sources: Record<SettingKey, SettingSource>;
    /** The value each key has when nothing sets it (frameAncestors: what strapi::cors allows). */
    defaults: EditableSettings;
    /** Env variable that fixes each key (documentation for the read-only note). */
    envNames: Record<SettingKey, string>;
    /** `<publicUrl>/api/processon/callback`, or null while publicUrl is empty. */
    callbackUrl: string | null;
  };
}

/** PUT /processon/settings body: any subset of the editable keys; `null` resets a key to its default. */
export type SettingsUpdateBody = SettingsUpdate;

/**
 * POST /processon/settings/check-callback body: the public URL to check (the page's draft), or
 * none for the stored one. Checking another URL than the stored one needs the update permission.
 */
export interface CallbackCheckBody {
  publicUrl?: string;
}

export type CallbackCheckOutcome =
  /** This Strapi answered the probe at that URL. */
  | 'ok'
  | 'no-public-url'
  | 'timeout'
  /** Nothing answered (DNS, connection refused, TLS...). */
  | 'unreachable'
  /** A redirect: ProcessOn's push does not follow redirects. */
  | 'redirect'
  /** Something answered, but not this Strapi's callback route. */
  | 'other-server';

export interface CallbackCheckResponse {
  data: {
    ok: boolean;
    outcome: CallbackCheckOutcome;
    /** The URL that was probed (the callback URL, without the probe's query). */
    url: string | null;
    /** HTTP status of the answer, when there was one. */
    status: number | null;
    /** Short technical detail (e.g. the network error's code), for the admin. */
    detail: string | null;
    elapsedMs: number;
  };
}

/** GET /processon/usage answer: editor sessions opened (each one is billed by ProcessOn). */
export interface UsageResponse {
  data: {
    today: number;
    month: number;
    total: number;
    quota: number;
    period: QuotaPeriod;
    /** Sessions counted against the quota (month or total). */
    used: number;
    state: QuotaState;
    /** The server's time zone: "today" and "this month" are counted in it. */
    timeZone: string;
  };
}

/** GET /processon/status answer: what the field needs to know (any admin user may read it). */
export interface StatusResponse {
  data: {
    configured: boolean;
    /** Keys that must be set before the editor can open. */
    missing: SettingKey[];
    /** Whether the viewer and downloads can open (appkey and base URL set). */
    viewable: boolean;
    /** Origin of the ProcessOn API (where editor messages come from), or null. */
    apiOrigin: string | null;
    hidebtn: boolean;
    defaultCategory: EditableSettings['defaultCategory'];
  };
}

/**
 * Details of the error answered by POST /processon/sessions when a known ProcessOn condition stops
 * the session before ProcessOn is asked (e.g. the session quota: 4004).
 */
export interface SessionRefusalDetails {
  processonCode: ErrorCode;
  reason: 'quota';
}

/**
 * POST /processon/forms body: the viewer or export form of a diagram of a field the user may read
 * (its def is not sent: the admin puts the def it holds into the form's `def` field itself).
 */
export interface PreviewFormBody {
  uid: string;
  documentId?: string | null;
  locale?: string | null;
  field: string;
  kind: 'view' | 'export';
  /** Export only. */
  type?: ExportType;
  chartid: string;
  category: Category;
  title: string;
}

export interface PreviewFormResponse {
  data: { form: FormDescriptor<'view'> | FormDescriptor<'export'> };
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
  /** `initial`: the def an editor was first opened with, for a diagram that had no history yet. */
  source: 'callback' | 'postMessage' | 'restore' | 'initial';
  createdAt: string;
}

/** GET /processon/sessions/:sessionId[?since=<revision id>] answer: the newest save received through that session. */
export interface SessionStateResponse {
  data: {
    sessionId: string;
    chartid: string;
    expiresAt: string;
    /**
     * The revision the newest save through this session resulted in (an identical save is stored
     * once); null when there is none yet, or when it is the one the caller named in `?since=<id>`
     * (so a poll does not download a diagram it already has).
     */
    revision: RevisionDTO | null;
    /** The id of that newest revision, whether or not `revision` carries it. */
    revisionId: string | null;
    /** When the newest save through this session arrived (changes even for an identical save). */
    savedAt: string | null;
  };
}

/**
 * POST /processon/sessions/:sessionId/saves body: a save the editor posted to the admin page
 * (postMessage), forwarded by the field; stored exactly like a callback. Answers SessionStateResponse.
 */
export interface ForwardedSaveBody {
  chartid: string;
  def: string;
  size?: string | number;
  valid?: boolean | string;
}

/** The admin user a revision came from; names are null once that user no longer exists. */
export interface RevisionAuthor {
  id: number;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
}

/** One revision in a list: everything but def. */
export interface RevisionSummary extends Omit<RevisionDTO, 'def'> {
  /** Who saved it (the admin who opened the editor, or who restored); null when unknown. */
  user: RevisionAuthor | null;
}

/** One revision with its def. */
export interface RevisionDetail extends RevisionDTO {
  user: RevisionAuthor | null;
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export const REVISIONS_PAGE_SIZE_DEFAULT = 20;
export const REVISIONS_PAGE_SIZE_MAX = 100;

/**
 * GET /processon/charts/:chartid/revisions?page=1&pageSize=20 answer: newest first, without def.
 * Needs Content Manager read permission on the content type owning the chartid.
 */
export interface RevisionListResponse {
  data: RevisionSummary[];
  meta: { pagination: Pagination };
}

/** GET /processon/charts/:chartid/revisions/:id answer. */
export interface RevisionResponse {
  data: RevisionDetail;
}

/**
 * Optional body of POST /processon/charts/:chartid/revisions/:id/restore: the field the revision goes
 * back into (the field sends it). When that entry (or locale) would not edit this chartid but a fork
 * of it (a value copied from another entry, a locale filled in from another), nothing is written to
 * the chart's history: the revision is only answered, for the field.
 */
export type RestoreTarget = Pick<CreateSessionBody, 'uid' | 'documentId' | 'locale' | 'field'>;

/**
 * POST /processon/charts/:chartid/revisions/:id/restore answer: the new revision (source
 * `restore`), 201; or, when the restored def already is the newest revision, that one, 200 and
 * `created: false` (identical consecutive saves are stored once). Needs read and update permission.
 * For a target that would fork the chart (see RestoreTarget): the revision itself, 200,
 * `stored: false`, with read permission.
 */
export interface RevisionRestoreResponse {
  data: RevisionDetail;
  meta: { created: boolean; stored: boolean };
}
