/**
 * Registered-domain checks. ProcessOn compares the callbackurl (and, for view/export, the calling page)
 * with the domains registered with the appkey; the doc does not say more, so: hostname only (no scheme,
 * no port), case-insensitive, and a registered domain also covers its subdomains.
 */

/** Brings a registered domain to a bare lowercase hostname ("https://Example.com:8443/x" → "example.com"). */
export const normalizeDomain = (domain: string): string => {
  let d = domain.trim().toLowerCase();
  d = d.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  d = d.replace(/[/?#].*$/, '');
  d = d.replace(/^.*@/, '');
  if (d.startsWith('[')) {
    const end = d.indexOf(']');
    d = end > 0 ? d.slice(1, end) : d.slice(1);
  } else if ((d.match(/:/g) ?? []).length === 1) {
    d = d.replace(/:\d*$/, '');
  }
  d = d.replace(/^\*\./, '').replace(/^\.+/, '').replace(/\.+$/, '');
  return d;
};

/** Hostname of a URL as a bare lowercase name (IPv6 without brackets), or null if it is not http(s). */
export const httpHostname = (url: string): string | null => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const host = parsed.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  return host === '' ? null : host;
};

const isIpLiteral = (host: string): boolean => host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

/** Whether a hostname is one of the registered domains or a subdomain of one. */
export const hostMatchesDomains = (hostname: string, domains: readonly string[]): boolean => {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  if (host === '') return false;
  return domains.some((raw) => {
    const domain = normalizeDomain(raw);
    if (domain === '') return false;
    if (host === domain) return true;
    if (isIpLiteral(domain) || isIpLiteral(host)) return false;
    return host.endsWith(`.${domain}`);
  });
};
