import type { FormDescriptor } from './forms';

export const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes a value for HTML text and for a double- or single-quoted attribute. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);

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
  lang?: string;
}

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
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'en')}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>${escapeHtml(options.title)}</title>
    ${options.headExtra ?? ''}
    <style nonce="${escapeHtml(options.nonce)}">html,body{margin:0;height:100%;font-family:system-ui,sans-serif}form{padding:1rem}</style>
  </head>
  <body>
    <form id="processon-form" method="${escapeHtml(form.method)}" action="${escapeHtml(form.action)}" accept-charset="UTF-8" target="_self">
      ${inputs}
      <noscript><button type="submit">${escapeHtml(options.submitLabel)}</button></noscript>
    </form>
    <script nonce="${escapeHtml(options.nonce)}">document.getElementById('processon-form').submit();</script>
  </body>
</html>
`;
};
