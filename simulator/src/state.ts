/** The simulator's in-memory state: appkeys and their usage, editor sessions, the log of pushes. */
import { randomBytes } from 'node:crypto';
import type { Category } from '../../server/src/processon/categories';

export interface AppkeyConfig {
  appkey: string;
  /** Domains registered with the appkey; each also covers its subdomains. */
  domains: string[];
  /** Editor sessions the account may open. */
  quota: number;
  /** false = the account is invalid (error 4006). */
  active: boolean;
}

export type CallbackFormat = 'json' | 'form';

export interface EditorSession {
  /** Random, unguessable: the capability of the page's save endpoint. */
  id: string;
  appkey: string;
  chartid: string;
  category: Category;
  title: string;
  callbackurl: string;
  hidebtn: boolean;
  openedAt: string;
  saves: number;
}

export interface PushRecord {
  sessionId: string;
  chartid: string;
  callbackurl: string;
  format: CallbackFormat;
  size: string;
  valid: boolean;
  /** HTTP status the callback answered; 0 when it could not be reached. */
  status: number;
  /** What the callback answered (text, cut to PUSH_BODY_KEPT characters). */
  body: string;
  /** Why the push failed when the callback could not be reached (timeout, refused...). */
  error?: string;
  at: string;
}

export interface Usage {
  appkey: string;
  used: number;
  quota: number;
}

const MAX_SESSIONS = 10_000;
const MAX_PUSHES = 1_000;

export class SimulatorState {
  private readonly appkeys = new Map<string, AppkeyConfig>();
  private readonly used = new Map<string, number>();
  private readonly sessions = new Map<string, EditorSession>();
  private readonly pushLog: PushRecord[] = [];

  constructor(appkeys: readonly AppkeyConfig[]) {
    for (const config of appkeys) {
      this.appkeys.set(config.appkey, { ...config, domains: [...config.domains] });
    }
  }

  getAppkey(appkey: string): AppkeyConfig | undefined {
    return this.appkeys.get(appkey);
  }

  listAppkeys(): AppkeyConfig[] {
    return [...this.appkeys.values()].map((config) => ({ ...config, domains: [...config.domains] }));
  }

  /** Adds or replaces an appkey (usage is kept). */
  setAppkey(config: AppkeyConfig): void {
    this.appkeys.set(config.appkey, { ...config, domains: [...config.domains] });
  }

  usage(appkey: string): Usage | undefined {
    const config = this.appkeys.get(appkey);
    if (!config) return undefined;
    return { appkey, used: this.used.get(appkey) ?? 0, quota: config.quota };
  }

  /** Consumes one session of the appkey's quota; false when none is left. */
  consumeSession(appkey: string): boolean {
    const usage = this.usage(appkey);
    if (!usage || usage.used >= usage.quota) return false;
    this.used.set(appkey, usage.used + 1);
    return true;
  }

  openSession(input: Omit<EditorSession, 'id' | 'openedAt' | 'saves'>): EditorSession {
    const session: EditorSession = {
      ...input,
      id: randomBytes(24).toString('base64url'),
      openedAt: new Date().toISOString(),
      saves: 0,
    };
    this.sessions.set(session.id, session);
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return session;
  }

  getSession(id: string): EditorSession | undefined {
    return this.sessions.get(id);
  }

  recordPush(record: PushRecord): void {
    this.pushLog.push(record);
    if (this.pushLog.length > MAX_PUSHES) this.pushLog.splice(0, this.pushLog.length - MAX_PUSHES);
  }

  pushes(): PushRecord[] {
    return this.pushLog.map((record) => ({ ...record }));
  }

  /** Forgets usage, sessions and pushes (appkeys stay). */
  reset(): void {
    this.used.clear();
    this.sessions.clear();
    this.pushLog.length = 0;
  }
}
