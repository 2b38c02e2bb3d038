import { hostMatchesDomains, httpHostname, normalizeDomain } from '../../simulator/src/domains';
import { htmlToText, isValidDiagram, jsonDepth, textToHtml } from '../../simulator/src/diagram';
import { asciiFilename, encodeRfc5987 } from '../../simulator/src/download';

describe('registered domains', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM ', 'example.com'],
    ['https://example.com:8443/path', 'example.com'],
    ['*.example.com', 'example.com'],
    ['example.com.', 'example.com'],
    ['localhost:1337', 'localhost'],
    ['[::1]:8080', '::1'],
  ])('normalizes %j to %j', (raw, expected) => {
    expect(normalizeDomain(raw)).toBe(expected);
  });

  it('matches a domain and its subdomains only, case-insensitively', () => {
    const domains = ['example.com', '127.0.0.1'];
    expect(hostMatchesDomains('example.com', domains)).toBe(true);
    expect(hostMatchesDomains('CMS.Example.com', domains)).toBe(true);
    expect(hostMatchesDomains('a.b.example.com', domains)).toBe(true);
    expect(hostMatchesDomains('badexample.com', domains)).toBe(false);
    expect(hostMatchesDomains('example.com.evil.net', domains)).toBe(false);
    expect(hostMatchesDomains('127.0.0.1', domains)).toBe(true);
    expect(hostMatchesDomains('1.127.0.0.1', domains)).toBe(false);
    expect(hostMatchesDomains('', domains)).toBe(false);
    expect(hostMatchesDomains('example.com', [])).toBe(false);
  });

  it('reads http(s) hostnames only', () => {
    expect(httpHostname('https://User:pw@Cms.Example.com:8443/x?y#z')).toBe('cms.example.com');
    expect(httpHostname('http://[::1]:1337/')).toBe('::1');
    expect(httpHostname('ftp://example.com/')).toBeNull();
    expect(httpHostname('//example.com/')).toBeNull();
    expect(httpHostname('javascript:alert(1)')).toBeNull();
  });
});

describe('def helpers', () => {
  it('turns title fragments into text', () => {
    expect(htmlToText('a&nbsp;b<br>c &lt;d&gt; &amp;amp; &#39;e&#x27;')).toBe("a b c <d> &amp; 'e'");
    expect(htmlToText('<img src=x onerror=alert(1)>x<b>y</b>')).toBe('xy');
    // As an HTML parser reads them: unknown names stay, invalid code points become U+FFFD.
    expect(htmlToText('&bogus; &#0; &#xD800;')).toBe('&bogus; \ufffd \ufffd');
    expect(textToHtml('<a> & "b"')).toBe('&lt;a&gt; &amp; "b"');
  });

  it('measures nesting without recursion', () => {
    expect(jsonDepth({ a: [1, { b: 2 }] })).toBe(3);
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) as unknown;
    expect(jsonDepth(deep, 100)).toBe(101);
  });

  it('says what is valid', () => {
    expect(isValidDiagram('mind', { children: [{ id: 'a' }] })).toBe(true);
    expect(isValidDiagram('mind_org', { leftChildren: [{ id: 'a' }] })).toBe(true);
    expect(isValidDiagram('mind', { children: [], leftChildren: [] })).toBe(false);
    expect(isValidDiagram('flow', { elements: { a: {} } })).toBe(true);
    expect(isValidDiagram('flow', { elements: {} })).toBe(false);
    expect(isValidDiagram('venn', {})).toBe(false);
  });
});

describe('download names', () => {
  it('encodes per RFC 5987', () => {
    expect(encodeRfc5987("a b'(c)*.png")).toBe('a%20b%27%28c%29%2A.png');
    expect(encodeRfc5987('图')).toBe('%E5%9B%BE');
  });
  it('keeps a safe ASCII fallback', () => {
    expect(asciiFilename('Go 内存分配')).toBe('Go');
    expect(asciiFilename('a"b\\c;d')).toBe('a_b_c_d');
    expect(asciiFilename('内存')).toBe('diagram');
    expect(asciiFilename('../../etc/passwd')).toBe('etc_passwd');
  });
});
