/** HTML shell shared by the simulator's pages, its error page and its home page. */
import { randomBytes } from 'node:crypto';
import { ERROR_CODES, type ErrorCode } from '../../server/src/processon/errors';
import { ENDPOINTS } from '../../server/src/processon/forms';
import { escapeHtml } from '../../server/src/processon/html';
import type { AppkeyConfig, Usage } from './state';

export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * CSP of every simulator page: inline code only with the page's nonce, fetch only to the simulator itself.
 * No frame-ancestors: the pages are meant to be framed by the partner's site, as ProcessOn's are.
 */
export const contentSecurityPolicy = (nonce: string, connectOrigins: readonly string[] = []): string =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
    ["connect-src 'self'", ...connectOrigins].join(' '),
    "form-action 'self'",
    "base-uri 'none'",
  ].join('; ');

const BASE_STYLE = `
*{box-sizing:border-box}
html,body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;background:#f7f8fa}
main{padding:16px 20px;max-width:1100px}
h1{font-size:18px;margin:0 0 8px}
code{background:#eef0f3;padding:1px 4px;border-radius:3px}
.muted{color:#616e7c}
`;

export interface PageParts {
  title: string;
  nonce: string;
  /** Body markup, already escaped by the caller. */
  body: string;
  /** Extra CSS (trusted constant text). */
  style?: string;
  /** Extra head/end-of-body markup, already escaped by the caller (e.g. a JSON data script). */
  data?: string;
  /** Inline script (trusted constant text). */
  script?: string;
  lang?: string;
}

export const renderPage = (parts: PageParts): string => `<!doctype html>
<html lang="${escapeHtml(parts.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<style nonce="${escapeHtml(parts.nonce)}">${BASE_STYLE}${parts.style ?? ''}</style>
</head>
<body>
${parts.body}
${parts.data ?? ''}
${parts.script ? `<script nonce="${escapeHtml(parts.nonce)}">${parts.script}</script>` : ''}
</body>
</html>
`;

export const errorMessage = (code: ErrorCode): { en: string; zh: string } => ({
  en: ERROR_CODES[code].en,
  zh: ERROR_CODES[code].zh,
});

const ERROR_STYLE = `
#processon-error{margin:40px auto;max-width:560px;background:#fff;border:1px solid #f5c2c0;border-left:4px solid #d02b20;border-radius:4px;padding:20px 24px}
#processon-error .code{font-size:28px;font-weight:600;color:#d02b20;margin:0}
#processon-error p{margin:6px 0}
`;

/**
 * The error page also tells a framing page which code it shows, as ProcessOn's editor posts its
 * saves: `{source: 'processon', event: 'error', code, message}` to `window.parent`. (The doc only
 * lists the codes; the message shape follows the JSON error answer `{code, message}`.)
 */
const errorScript = (code: ErrorCode): string =>
  `if (window.parent !== window) { window.parent.postMessage({ source: 'processon', event: 'error', code: ${Number(code)}, ` +
  `message: ${JSON.stringify(ERROR_CODES[code].en)} }, '*'); }`;

export const renderErrorPage = (code: ErrorCode, detail: string, nonce: string): string => {
  const { en, zh } = errorMessage(code);
  return renderPage({
    script: errorScript(code),
    title: `ProcessOn error ${code}`,
    nonce,
    style: ERROR_STYLE,
    body: `<main id="processon-error" data-testid="processon-error" data-code="${code}" role="alert">
<p class="code" data-testid="error-code">${code}</p>
<p lang="en" data-testid="error-message-en">${escapeHtml(en)}</p>
<p lang="zh-Hans" data-testid="error-message-zh">${escapeHtml(zh)}</p>
<p class="muted" data-testid="error-detail">${escapeHtml(detail)}</p>
</main>`,
  });
};

export interface HomeInfo {
  baseUrl: string;
  appkeys: Array<AppkeyConfig & Partial<Usage>>;
  callbackFormat: string;
}

export const renderHomePage = (info: HomeInfo, nonce: string): string => {
  const base = info.baseUrl.replace(/\/+$/, '');
  const rows = info.appkeys
    .map(
      (a) => `<tr><td><code>${escapeHtml(a.appkey)}</code></td><td>${escapeHtml(a.domains.join(', '))}</td>` +
        `<td>${escapeHtml(String(a.used ?? 0))} / ${escapeHtml(String(a.quota))}</td><td>${a.active ? 'active' : 'inactive (4006)'}</td></tr>`
    )
    .join('\n');
  const codes = (Object.keys(ERROR_CODES).map(Number) as ErrorCode[])
    .map((code) => `<li><code>${code}</code> ${escapeHtml(ERROR_CODES[code].en)} — ${escapeHtml(ERROR_CODES[code].zh)}</li>`)
    .join('\n');
  return renderPage({
    title: 'ProcessOn simulator',
    nonce,
    style: 'table{border-collapse:collapse}td,th{border:1px solid #d9dde3;padding:4px 8px;text-align:left}',
    body: `<main data-testid="simulator-home">
<h1>ProcessOn simulator</h1>
<p>A test double of ProcessOn's partner API (<code>api.processon.com</code>) for development and tests.
It is not ProcessOn: diagrams are edited as a plain topic tree (mind maps) or as JSON text (other categories).</p>
<h2>Endpoints (POST, form-encoded)</h2>
<ul>
<li><code>${escapeHtml(base + ENDPOINTS.edit)}</code> — editor: appkey, chartid, category, title, def (empty = new), callbackurl, hidebtn</li>
<li><code>${escapeHtml(base + ENDPOINTS.view)}</code> — viewer: appkey, category, title, def</li>
<li><code>${escapeHtml(base + ENDPOINTS.export)}</code> — download: appkey, chartid, category, title, def, type (image | pdf)</li>
</ul>
<p>Saving in the editor pushes <code>{chartid, def, size, valid}</code> to callbackurl as ${escapeHtml(info.callbackFormat === 'form' ? 'a urlencoded form' : 'JSON')}, shows the callback's answer and posts <code>{source: "processon", event: "save", chartid, def, size, valid}</code> to the parent window.</p>
<h2>Appkeys</h2>
<table><thead><tr><th>appkey</th><th>domains</th><th>sessions used</th><th>account</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Error codes</h2>
<ul>${codes}</ul>
<h2>Helpers</h2>
<ul>
<li><code>GET /sim/usage/:appkey</code> — <code>{appkey, used, quota}</code></li>
<li><code>GET /sim/pushes</code> — the pushes made to callback URLs</li>
<li><code>POST /sim/reset</code> — forget usage, editor sessions and pushes</li>
</ul>
</main>`,
  });
};
