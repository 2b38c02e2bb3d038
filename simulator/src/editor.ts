/**
 * The editor page (answer of POST /openapi/diagrams). Mind maps are edited as a tree of topic titles;
 * the other categories as the def's JSON text. Save posts to the simulator, whose server pushes to
 * callbackurl; the page then shows the callback's answer and posts the save to its parent window.
 */
import type { Category } from '../../server/src/processon/categories';
import { escapeHtml, jsonForScript } from '../../server/src/processon/html';
import { htmlToText, isMindCategory, isRecord, type JsonObject } from './diagram';
import { renderPage } from './pages';

export interface EditorPageInput {
  sessionId: string;
  saveUrl: string;
  chartid: string;
  category: Category;
  title: string;
  hidebtn: boolean;
  /** The document to edit (the decoded def, or a new diagram). */
  doc: JsonObject;
  nonce: string;
}

const titleText = (topic: JsonObject): string =>
  htmlToText(typeof topic.title === 'string' ? topic.title : typeof topic.title === 'number' ? String(topic.title) : '');

const renderTopic = (topic: JsonObject, path: string, isRoot: boolean): string => {
  const lists = (['children', 'leftChildren'] as const)
    .filter((key) => key === 'children' || Array.isArray(topic[key]))
    .map((key) => {
      const list = topic[key];
      const items = Array.isArray(list)
        ? list
            .map((child: unknown, index: number) =>
              isRecord(child)
                ? renderTopic(child, `${path}${path ? '.' : ''}${key === 'children' ? 'c' : 'l'}${index}`, false)
                : ''
            )
            .join('')
        : '';
      return `<ul class="topics${key === 'leftChildren' ? ' left' : ''}" data-key="${key}">${items}</ul>`;
    })
    .join('');
  const side = isRoot ? ' data-root="true"' : '';
  return `<li class="topic" data-testid="topic" data-path="${escapeHtml(path)}"${side}><div class="row">` +
    `<input type="text" data-testid="topic-title" aria-label="Topic title" value="${escapeHtml(titleText(topic))}">` +
    `<button type="button" data-testid="add-topic" title="Add a child topic" aria-label="Add a child topic">+</button>` +
    (isRoot ? '' : `<button type="button" data-testid="remove-topic" title="Remove this topic" aria-label="Remove this topic">&times;</button>`) +
    `</div>${lists}</li>`;
};

const EDITOR_STYLE = `
header.toolbar{display:flex;align-items:center;gap:12px;flex-wrap:wrap;padding:10px 20px;background:#fff;border-bottom:1px solid #d9dde3;position:sticky;top:0}
header.toolbar h1{margin:0;font-size:16px}
button{font:inherit;cursor:pointer;border:1px solid #c3c9d2;background:#fff;border-radius:4px;padding:2px 8px}
button[data-testid=save]{background:#1a73e8;border-color:#1a73e8;color:#fff;padding:4px 16px}
[data-testid=save-status]{margin:0;color:#616e7c}
[data-testid=save-status][data-state=ok]{color:#1e7b34}
[data-testid=save-status][data-state=error]{color:#d02b20}
ul.topics{list-style:none;margin:0;padding-left:24px;border-left:1px dashed #c3c9d2}
ul.topics.left{border-left-color:#e3a008}
ul.tree{list-style:none;padding:0;margin:0}
li.topic{margin:4px 0}
.row{display:flex;gap:4px;align-items:center}
.row input{font:inherit;min-width:240px;padding:2px 6px;border:1px solid #c3c9d2;border-radius:3px}
li[data-root] > .row input{font-weight:600;font-size:15px}
textarea[data-testid=def-json]{width:100%;min-height:60vh;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
`;

/** Page script: constant text (all data comes from the JSON config element). */
const EDITOR_SCRIPT = String.raw`(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('processon-editor-config').textContent);
  var status = document.querySelector('[data-testid="save-status"]');
  var saving = false;
  var newTopics = new WeakMap();

  function setStatus(state, text) {
    status.setAttribute('data-state', state);
    status.textContent = text;
  }
  function escapeText(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
  function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
  function randomId() {
    var bytes = new Uint8Array(6);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }
  function resolvePath(path) {
    var topic = config.doc;
    if (!path) return topic;
    var parts = path.split('.');
    for (var i = 0; i < parts.length; i += 1) {
      var key = parts[i].charAt(0) === 'l' ? 'leftChildren' : 'children';
      topic = topic[key][Number(parts[i].slice(1))];
    }
    return topic;
  }
  function originalOf(li) {
    return newTopics.has(li) ? newTopics.get(li) : resolvePath(li.getAttribute('data-path'));
  }
  function ownChild(el, selector) {
    for (var i = 0; i < el.children.length; i += 1) {
      if (el.children[i].matches(selector)) return el.children[i];
    }
    return null;
  }

  function topicElement(topic) {
    var li = document.createElement('li');
    li.className = 'topic';
    li.setAttribute('data-testid', 'topic');
    var row = document.createElement('div');
    row.className = 'row';
    var input = document.createElement('input');
    input.type = 'text';
    input.setAttribute('data-testid', 'topic-title');
    input.setAttribute('aria-label', 'Topic title');
    input.value = 'New topic';
    var add = document.createElement('button');
    add.type = 'button';
    add.setAttribute('data-testid', 'add-topic');
    add.title = 'Add a child topic';
    add.textContent = '+';
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.setAttribute('data-testid', 'remove-topic');
    remove.title = 'Remove this topic';
    remove.textContent = '\u00d7';
    row.appendChild(input);
    row.appendChild(add);
    row.appendChild(remove);
    var list = document.createElement('ul');
    list.className = 'topics';
    list.setAttribute('data-key', 'children');
    li.appendChild(row);
    li.appendChild(list);
    newTopics.set(li, topic);
    return li;
  }

  function buildTopic(li) {
    var original = originalOf(li);
    var topic = Object.assign({}, original);
    var input = ownChild(li, '.row').querySelector('input');
    if (newTopics.has(li) || input.value !== input.defaultValue) topic.title = escapeText(input.value);
    ['children', 'leftChildren'].forEach(function (key) {
      var list = ownChild(li, 'ul[data-key="' + key + '"]');
      if (!list) return;
      var items = Array.prototype.map.call(list.children, buildTopic);
      if (Array.isArray(original[key]) || items.length > 0) topic[key] = items;
    });
    return topic;
  }

  function mindDocument() {
    var rootLi = document.querySelector('li[data-root]');
    var doc = buildTopic(rootLi);
    var count = 0;
    ['children', 'leftChildren'].forEach(function (key) {
      if (Array.isArray(doc[key])) count += doc[key].filter(isObject).length;
    });
    return { doc: doc, valid: count > 0 };
  }

  function jsonDocument() {
    var text = document.querySelector('[data-testid="def-json"]').value;
    var doc;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      setStatus('error', 'Invalid JSON: ' + error.message);
      return null;
    }
    if (!isObject(doc)) {
      setStatus('error', 'Invalid JSON: the diagram must be a JSON object');
      return null;
    }
    return { doc: doc, valid: isObject(doc.elements) && Object.keys(doc.elements).length > 0 };
  }

  function shorten(text) {
    var t = String(text).trim();
    return t.length > 300 ? t.slice(0, 300) + '\u2026' : t;
  }

  function save() {
    if (saving) return;
    var built = config.mode === 'mind' ? mindDocument() : jsonDocument();
    if (!built) return;
    var def = JSON.stringify(built.doc);
    saving = true;
    setStatus('pending', 'Saving\u2026');
    fetch(config.saveUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ def: def, valid: built.valid }),
      credentials: 'omit'
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer && answer.error ? answer.error : 'HTTP ' + response.status);
          return answer;
        });
      })
      .then(function (answer) {
        if (answer.error) setStatus('error', 'Callback failed: ' + answer.error);
        else setStatus(answer.ok ? 'ok' : 'error', 'Callback answered ' + answer.status + ': ' + shorten(answer.body));
        if (window.parent && window.parent !== window) {
          window.parent.postMessage(
            { source: 'processon', event: 'save', chartid: config.chartid, def: def, size: answer.size, valid: answer.valid },
            '*'
          );
        }
      })
      .catch(function (error) {
        setStatus('error', 'Save failed: ' + error.message);
      })
      .then(function () {
        saving = false;
      });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    var kind = button.getAttribute('data-testid');
    if (kind === 'save') {
      save();
    } else if (kind === 'add-topic') {
      var parentLi = button.closest('li.topic');
      var parent = originalOf(parentLi);
      var list = ownChild(parentLi, 'ul[data-key="children"]');
      var li = topicElement({ id: randomId(), parent: parent && parent.id !== undefined ? parent.id : 'root', title: '', children: [] });
      list.appendChild(li);
      var input = li.querySelector('input');
      input.focus();
      input.select();
    } else if (kind === 'remove-topic') {
      var topicLi = button.closest('li.topic');
      if (topicLi && !topicLi.hasAttribute('data-root')) topicLi.remove();
    }
  });

  document.addEventListener('keydown', function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 's' || event.key === 'S')) {
      event.preventDefault();
      save();
    }
  });
})();
`;

export const renderEditorPage = (input: EditorPageInput): string => {
  const mind = isMindCategory(input.category);
  const content = mind
    ? `<ul class="tree" data-testid="mind-tree">${renderTopic(input.doc, '', true)}</ul>`
    : `<label for="def-json" class="muted">Diagram definition (JSON)</label>
<textarea id="def-json" data-testid="def-json" spellcheck="false">${escapeHtml(JSON.stringify(input.doc, null, 2))}</textarea>`;
  const config = {
    chartid: input.chartid,
    category: input.category,
    saveUrl: input.saveUrl,
    mode: mind ? 'mind' : 'json',
    doc: mind ? input.doc : null,
  };
  return renderPage({
    title: `${input.title} - ProcessOn simulator`,
    nonce: input.nonce,
    style: EDITOR_STYLE,
    body: `<header class="toolbar">
<h1 data-testid="editor-title">${escapeHtml(input.title)}</h1>
<span class="muted">${escapeHtml(input.category)} · <code data-testid="editor-chartid">${escapeHtml(input.chartid)}</code></span>
${input.hidebtn ? '' : '<button type="button" data-testid="save">Save</button>'}
<p data-testid="save-status" role="status" aria-live="polite" data-state="idle">${input.hidebtn ? 'Press Ctrl+S to save' : ''}</p>
</header>
<main data-testid="editor" data-category="${escapeHtml(input.category)}" data-hidebtn="${input.hidebtn ? 'true' : 'false'}">
${content}
</main>`,
    data: `<script type="application/json" id="processon-editor-config">${jsonForScript(config)}</script>`,
    script: EDITOR_SCRIPT,
  });
};
