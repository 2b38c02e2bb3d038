/** Content-Disposition for the export download: an ASCII fallback name plus the UTF-8 title (RFC 6266/5987). */

/** RFC 5987 attr-chars: encodeURIComponent leaves `'()*!` as is; the first four must be encoded too. */
export const encodeRfc5987 = (value: string): string =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The ASCII fallback filename (without extension): unsafe characters become "_", "diagram" if nothing is left. */
export const asciiFilename = (title: string): string => {
  const name = title
    .replace(/[^A-Za-z0-9._ -]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s._-]+|[\s._-]+$/g, '')
    .slice(0, 100);
  return /[A-Za-z0-9]/.test(name) ? name : 'diagram';
};

/** The UTF-8 name of the file: the title without control characters and path separators. */
const utf8Filename = (title: string): string => {
  const name = title.replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim().slice(0, 200);
  return name === '' ? 'diagram' : name;
};

export const contentDisposition = (title: string, extension: 'png' | 'pdf'): string =>
  `attachment; filename="${asciiFilename(title)}.${extension}"; filename*=UTF-8''${encodeRfc5987(utf8Filename(title))}.${extension}`;
