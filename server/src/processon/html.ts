import type { FormDescriptor } from './forms';

/** The entity of each character that HTML text and quoted attributes escape. */
export const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes a value for HTML text and for a double- or single-quoted attribute: & < > " ' and `.
 * One pass over the string (a def may be megabytes of JSON, full of quotes).
 */
export const escapeHtml = (value: string): string => {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i += 1) {
    let entity: string;
    switch (value.charCodeAt(i)) {
      case 38:
        entity = '&amp;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 34:
        entity = '&quot;';
        break;
      case 39:
        entity = '&#39;';
        break;
      case 96:
        entity = '&#96;';
        break;
      default:
        continue;
    }
    if (last !== i) out += value.slice(last, i);
    out += entity;
    last = i + 1;
  }
  return last === 0 ? value : out + value.slice(last);
};

/** Serializes a value as JSON that is safe inside a <script> element. */
export const jsonForScript = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export interface AutoSubmitPageOptions {
  /** Page title (text). */
  title: string;
  /** CSP nonce for the inline script. */
  nonce: string;
  /** Text of the <noscript> submit button. */
  submitLabel: string;
  /** Extra <head> markup already escaped by the caller (e.g. a <link>). */
  headExtra?: string;
  /** Extra markup (already escaped) shown after the form: e.g. a readable outline of the diagram. */
  bodyExtra?: string;
  /** Extra markup (already escaped) inside the <noscript> beside the button: e.g. the diagram as an image. */
  noscriptExtra?: string;
  lang?: string;
}

/** Styles of a rendered outline (see renderDiagram) inside the plugin's pages. */
export const OUTLINE_CSS =
  '.processon-outline{font-size:15px;line-height:1.5;color:#222}.processon-outline ul{padding-left:1.4em;margin:.2em 0}' +
  '.processon-note{color:#555;font-size:13px;margin:.2em 0 .4em;white-space:normal}.processon-diagram{max-width:100%;height:auto}';

/** The start of the plugin's HTML pages, up to the <title> in <head> (escaped). */
const pageHead = (title: string, lang = 'en'): string => `<!doctype html>
<html lang="${escapeHtml(lang)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>${escapeHtml(title)}</title>`;

/**
 * An HTML page that posts a ProcessOn form to itself (target _self) as soon as it loads, with a
 * <noscript> button as fallback. Every value is escaped for its context.
 */
export const renderAutoSubmitPage = (form: FormDescriptor, options: AutoSubmitPageOptions): string => {
  const inputs = Object.entries(form.fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`
    )
    .join('\n      ');
  return `${pageHead(options.title, options.lang)}
    ${options.headExtra ?? ''}
    <style nonce="${escapeHtml(options.nonce)}">html,body{margin:0;height:100%;font-family:system-ui,sans-serif}form{padding:1rem}${options.bodyExtra ? `main{padding:0 1rem 1rem}${OUTLINE_CSS}` : ''}</style>
  </head>
  <body>
    <form id="processon-form" method="${escapeHtml(form.method)}" action="${escapeHtml(form.action)}" accept-charset="UTF-8" target="_self">
      ${inputs}
      <noscript><button type="submit">${escapeHtml(options.submitLabel)}</button>${options.noscriptExtra ?? ''}</noscript>
    </form>
    ${options.bodyExtra ?? ''}
    <script nonce="${escapeHtml(options.nonce)}">document.getElementById('processon-form').submit();</script>
  </body>
</html>
`;
};

export interface OutlinePageOptions {
  title: string;
  /** CSP nonce for the inline style. */
  nonce: string;
  /** The outline markup from renderDiagram (already escaped). */
  outline: string;
  /** URL of the diagram as SVG, shown above the outline. */
  svgUrl?: string;
  lang?: string;
}

/** A readable HTML page of a diagram: its title, its SVG and its outline. Every value is escaped for its context. */
export const renderOutlinePage = (options: OutlinePageOptions): string => `${pageHead(options.title, options.lang)}
    <style nonce="${escapeHtml(options.nonce)}">body{margin:0;font-family:system-ui,sans-serif}main{padding:1rem;max-width:72rem}h1{font-size:1.4rem}${OUTLINE_CSS}</style>
  </head>
  <body>
    <main>
      <h1>${escapeHtml(options.title)}</h1>
      ${options.svgUrl ? `<p><img class="processon-diagram" src="${escapeHtml(options.svgUrl)}" alt="${escapeHtml(options.title)}"></p>` : ''}
      ${options.outline}
    </main>
  </body>
</html>
`;
