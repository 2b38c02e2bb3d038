/**
 * The demo's "frontend": a tiny site on another origin that embeds published diagrams with a plain
 * <iframe src=…> pointing at the plugin's public view route, and links to the export routes.
 */
import http from 'http';
import { escapeHtml } from '../server/src/processon/html';

interface ArticleSummary {
  documentId: string;
  title: string;
  diagram: { title: string; category: string; def: string } | null;
}

export interface Frontend {
  url: string;
  close(): Promise<void>;
}

const page = (strapiUrl: string, articles: ArticleSummary[]): string => {
  const base = strapiUrl.replace(/\/+$/, '');
  const items = articles
    // An article whose diagram is empty has nothing to embed.
    .filter((a) => a.diagram && a.diagram.def)
    .map((a) => {
      const route = (kind: string, query = '') =>
        escapeHtml(`${base}/api/processon/${kind}/articles/${encodeURIComponent(a.documentId)}?field=diagram${query}`);
      return `
    <article data-document-id="${escapeHtml(a.documentId)}">
      <h2>${escapeHtml(a.title)}</h2>
      <p>${escapeHtml(a.diagram?.title ?? '')} (${escapeHtml(a.diagram?.category ?? '')})</p>
      <iframe src="${route('view')}" title="${escapeHtml(a.diagram?.title ?? a.title)}" width="100%" height="420" loading="lazy"></iframe>
      <p>
        <a class="download-image" href="${route('export', '&type=image')}" target="processon-download">Download image (PNG)</a> ·
        <a class="download-pdf" href="${route('export', '&type=pdf')}" target="processon-download">Download PDF</a> ·
        <a class="static-outline" href="${route('outline')}">Outline</a>
      </p>
      <details class="static-svg">
        <summary>Without ProcessOn: the diagram as a static SVG</summary>
        <img src="${escapeHtml(`${base}/api/processon/svg/articles/${encodeURIComponent(a.documentId)}.svg?field=diagram`)}" alt="${escapeHtml(a.diagram?.title ?? a.title)}" loading="lazy">
      </details>
    </article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Demo frontend: ProcessOn diagrams from Strapi</title>
    <style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}iframe{border:1px solid #ccc;border-radius:4px}.static-svg img{max-width:100%;height:auto;border:1px solid #eee}</style>
  </head>
  <body>
    <h1>Articles with diagrams</h1>
    <p>This page is served from another origin than Strapi; each diagram is a plain iframe on the plugin's public view route.</p>
    ${items || '<p>No published article with a diagram yet.</p>'}
    <!-- Downloads run in this hidden frame, so the page stays where it is. -->
    <iframe name="processon-download" title="downloads" hidden></iframe>
  </body>
</html>`;
};

export const startFrontend = async (options: { port: number; strapiUrl: string; host?: string }): Promise<Frontend> => {
  const server = http.createServer((req, res) => {
    if (req.url !== '/' && req.url !== '/index.html') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const api = `${options.strapiUrl.replace(/\/+$/, '')}/api/articles?fields[0]=title&fields[1]=diagram&sort=id:asc`;
    fetch(api)
      .then(async (r) => {
        if (!r.ok) throw new Error(`Strapi answered ${r.status}`);
        const body = (await r.json()) as { data: ArticleSummary[] };
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(options.strapiUrl, body.data));
      })
      .catch((error: unknown) => {
        res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Could not read articles: ${String(error)}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '0.0.0.0', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
