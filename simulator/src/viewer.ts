/** The read-only viewer (answer of POST /openapi/diagrams/view). Every diagram text is shown as text. */
import type { Category } from '../../server/src/processon/categories';
import { escapeHtml } from '../../server/src/processon/html';
import { canvasSummary, isMindCategory, mindOutline, type JsonObject, type OutlineNode } from './diagram';
import { renderPage } from './pages';

export interface ViewerPageInput {
  category: Category;
  title: string;
  doc: JsonObject;
  nonce: string;
}

const renderOutline = (node: OutlineNode): string =>
  `<li><span data-testid="viewer-topic">${escapeHtml(node.text)}</span>` +
  (node.children.length > 0 ? `<ul>${node.children.map(renderOutline).join('')}</ul>` : '') +
  '</li>';

const VIEWER_STYLE = `
[data-testid=viewer-outline],[data-testid=viewer-outline] ul{padding-left:20px}
[data-testid=viewer-element] .shape{color:#616e7c;font-size:12px;margin-right:6px}
`;

export const renderViewerPage = (input: ViewerPageInput): string => {
  let content: string;
  if (isMindCategory(input.category)) {
    content = `<ul data-testid="viewer-outline">${renderOutline(mindOutline(input.doc))}</ul>`;
  } else {
    const { shapes, linkers } = canvasSummary(input.doc);
    const items = shapes
      .map(
        (shape) =>
          `<li data-testid="viewer-element" data-name="${escapeHtml(shape.name)}">` +
          `<span class="shape" data-testid="viewer-element-title">${escapeHtml(shape.title)}</span>` +
          `<span data-testid="viewer-element-text">${escapeHtml(shape.texts.join(' / '))}</span></li>`
      )
      .join('');
    content = `<ul data-testid="viewer-elements">${items}</ul>
<p data-testid="viewer-linkers" data-count="${linkers.length}">${linkers.length} linker${linkers.length === 1 ? '' : 's'}</p>`;
  }
  return renderPage({
    title: `${input.title} - ProcessOn simulator`,
    nonce: input.nonce,
    style: VIEWER_STYLE,
    body: `<main data-testid="viewer" data-category="${escapeHtml(input.category)}">
<h1 data-testid="viewer-title">${escapeHtml(input.title)}</h1>
${content}
</main>`,
  });
};
