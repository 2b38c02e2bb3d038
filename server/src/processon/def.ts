/**
 * Helpers around ProcessOn's `def`. It is opaque to storage: stored and sent back exactly as received.
 * What is publicly known of its inside: JSON text, sometimes base64 of URI-encoded JSON; mind maps are
 * the root topic `{id, root, title, children, leftChildren}`, canvas diagrams `{page, theme, elements}`.
 */

/** Size of a def in KB (UTF-8 bytes / 1024, two decimals), as ProcessOn reports `size`. */
export const defSizeKB = (def: string): number => Math.round((utf8Length(def) / 1024) * 100) / 100;

/** Byte length of a string in UTF-8 without Node's Buffer (usable in the browser too). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Human-readable size for a KB number: "12.5 KB", "1.2 MB". */
export const formatSizeKB = (kb: number): string =>
  kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${Math.round(kb * 10) / 10} KB`;

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads a def for read-only uses (never for storage): raw JSON text, or base64 of URI-encoded JSON.
 * Returns the parsed document, or null when it is neither.
 */
export const decodeDef = (def: string): unknown => {
  const text = def.trim();
  if (text === '') return null;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
  if (!BASE64_RE.test(text)) return null;
  try {
    const decoded = decodeURIComponent(atob(text));
    return JSON.parse(decoded) as unknown;
  } catch {
    return null;
  }
};
