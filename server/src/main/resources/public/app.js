// The fashion search page: plain JavaScript, no build step. It opens on the catalog itself
// (GET /api/items, page by page, under the filter menus); a photo, words of a name or a product
// turn it into a search. The URL holds the query (?id=..&text=..&k=..&item=..&<attribute>=..,
// an attribute repeated for several values) so that it can be shared; an uploaded image lives only
// in this page.
'use strict';

const ATTRIBUTES = ['gender', 'masterCategory', 'subCategory', 'articleType', 'baseColour', 'season', 'usage'];
const LABELS = {
  gender: 'Gender', masterCategory: 'Category', subCategory: 'Subcategory', articleType: 'Type',
  baseColour: 'Colour', season: 'Season', usage: 'Usage', year: 'Year'
};
const MAX_OFFSET = 1000;
const DEFAULT_K = '24';
// state.filters: attribute -> array of chosen values (any of them matches; attributes combine with AND)
const state = { id: '', text: '', k: DEFAULT_K, filters: {}, image: null, item: '' };
const page = { offset: 0, shown: 0, mode: 'browse' };
const $ = (sel) => document.querySelector(sel);
const narrow = window.matchMedia('(max-width: 760px)');

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.id = params.get('id') || '';
  state.text = params.get('text') || '';
  state.k = params.get('k') || DEFAULT_K;
  state.item = params.get('item') || '';
  state.filters = {};
  for (const a of ATTRIBUTES) {
    const values = params.getAll(a).filter((v) => v);
    if (values.length) state.filters[a] = [...new Set(values)];
  }
}

function writeUrl(push) {
  const params = new URLSearchParams();
  if (state.id) params.set('id', state.id);
  if (state.text) params.set('text', state.text);
  if (state.k !== DEFAULT_K) params.set('k', state.k);
  appendFilters(params);
  if (state.item) params.set('item', state.item);
  const url = location.pathname + (params.toString() ? '?' + params : '');
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

function appendFilters(params) {
  for (const [a, values] of Object.entries(state.filters)) {
    for (const v of values) params.append(a, v);
  }
  return params;
}

async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({ error: { status: response.status, message: response.statusText } }));
  if (!response.ok) throw new Error(body.error ? body.error.message : 'HTTP ' + response.status);
  return body;
}

function setStatus(text, isError) {
  const status = $('#status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

function showWarning(text) {
  const warning = $('#warning');
  warning.hidden = !text;
  warning.textContent = text || '';
}

function chosenCount() {
  return Object.values(state.filters).reduce((n, values) => n + values.length, 0);
}

// --- filter menus: each attribute's values counted under every filter but its own

async function loadFacets() {
  const body = await getJson('/api/facets?' + appendFilters(new URLSearchParams()));
  const container = $('#filters');
  const wasOpen = new Set([...container.querySelectorAll('details.facet[open]')].map((d) => d.dataset.attribute));
  const firstRender = container.children.length === 0;
  container.replaceChildren();
  for (const a of ATTRIBUTES) {
    const counts = body.facets[a] || {};
    const chosen = state.filters[a] || [];
    const menu = document.createElement('details');
    menu.className = 'facet';
    menu.id = 'facet-' + a;
    menu.dataset.attribute = a;
    const open = firstRender ? (!narrow.matches && (a === 'gender' || a === 'masterCategory')) || chosen.length > 0 : wasOpen.has(a);
    menu.open = open;
    const summary = document.createElement('summary');
    summary.textContent = LABELS[a] + (chosen.length ? ' (' + chosen.length + ')' : '');
    menu.appendChild(summary);
    const list = document.createElement('div');
    list.className = 'values';
    const values = Object.entries(counts);
    for (const v of chosen) if (!(v in counts)) values.push([v, 0]);
    for (const [value, count] of values) {
      const label = document.createElement('label');
      label.className = 'value';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = value;
      box.dataset.attribute = a;
      box.checked = chosen.includes(value);
      box.addEventListener('change', () => toggleFilter(a, value, box.checked));
      const name = document.createElement('span');
      name.className = 'value-name';
      name.textContent = value;
      const n = document.createElement('span');
      n.className = 'count';
      n.textContent = count;
      label.append(box, name, n);
      list.appendChild(label);
    }
    menu.appendChild(list);
    container.appendChild(menu);
  }
  const n = chosenCount();
  $('#filter-count').textContent = n ? '(' + n + ' chosen)' : '';
  renderChips();
  return body;
}

function toggleFilter(attribute, value, on) {
  const values = new Set(state.filters[attribute] || []);
  if (on) values.add(value); else values.delete(value);
  if (values.size) state.filters[attribute] = [...values]; else delete state.filters[attribute];
  run(true);
}

function renderChips() {
  const chips = $('#chips');
  chips.replaceChildren();
  for (const [a, values] of Object.entries(state.filters)) {
    for (const v of values) {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.dataset.attribute = a;
      chip.dataset.value = v;
      chip.title = 'remove this filter';
      chip.textContent = LABELS[a] + ': ' + v + ' ×';
      chip.addEventListener('click', () => toggleFilter(a, v, false));
      chips.appendChild(chip);
    }
  }
}

// --- results

function card(r, showScore) {
  const card = document.createElement('article');
  card.className = 'card';
  card.dataset.id = r.id;
  card.tabIndex = 0;
  const img = document.createElement('img');
  img.src = r.image;
  img.alt = r.productDisplayName || r.id;
  img.loading = 'lazy';
  const name = document.createElement('div');
  name.className = 'name';
  name.textContent = r.productDisplayName || ('#' + r.id);
  const attrs = document.createElement('div');
  attrs.className = 'attrs';
  for (const a of ['gender', 'masterCategory', 'articleType', 'baseColour', 'year']) {
    if (!r[a]) continue;
    const span = document.createElement('span');
    span.className = 'attr';
    span.dataset.name = a;
    span.textContent = r[a];
    attrs.appendChild(span);
  }
  const foot = document.createElement('div');
  foot.className = 'foot';
  const id = document.createElement('span');
  id.className = 'score';
  id.textContent = (showScore ? 'score ' + r.score.toFixed(3) + ' · ' : '') + '#' + r.id;
  const similar = document.createElement('button');
  similar.type = 'button';
  similar.className = 'similar';
  similar.textContent = 'Similar';
  similar.title = 'products that look like this one';
  similar.addEventListener('click', (e) => { e.stopPropagation(); startFromProduct(r.id, null); });
  foot.append(id, similar);
  card.append(img, name, attrs, foot);
  card.addEventListener('click', () => openDetail(r.id, true));
  card.addEventListener('keydown', (e) => { if (e.key === 'Enter') openDetail(r.id, true); });
  return card;
}

function renderResults(body, append) {
  const grid = $('#results');
  if (!append) grid.replaceChildren();
  const showScore = page.mode !== 'browse';
  for (const r of body.results) grid.appendChild(card(r, showScore));
  page.shown = grid.children.length;
  const k = Number(state.k);
  $('#more').hidden = body.results.length < k || page.offset + k > MAX_OFFSET
    || (page.mode === 'browse' && page.shown >= matching);
  showWarning(body.warning);
}

function describeQuery(matching) {
  const filtered = chosenCount() ? ' matching the filters' : '';
  if (page.mode === 'browse') {
    return 'Showing ' + page.shown + ' of ' + matching.toLocaleString('en') + ' products' + filtered;
  }
  const what = page.mode === 'similar' ? 'similar to #' + state.id
    : page.mode === 'text' ? 'for “' + state.text + '”'
    : state.text ? 'like your photo and “' + state.text + '”' : 'like your photo';
  return page.shown + ' results ' + what + filtered + ' (of ' + matching.toLocaleString('en') + ' products)';
}

async function fetchPage(offset) {
  const params = appendFilters(new URLSearchParams());
  params.set('k', state.k);
  if (offset) params.set('offset', offset);
  if (page.mode === 'image' || page.mode === 'text') {
    const form = new FormData();
    if (state.image) form.append('image', state.image);
    if (state.text) form.append('text', state.text);
    return getJson('/api/search?' + params, { method: 'POST', body: form });
  }
  if (page.mode === 'similar') {
    return getJson('/api/items/' + encodeURIComponent(state.id) + '/similar?' + params);
  }
  return getJson('/api/items?' + params);
}

let generation = 0;
let matching = 0;
async function run(push) {
  const mine = ++generation;
  writeUrl(push);
  page.mode = state.image ? 'image' : state.id ? 'similar' : state.text ? 'text' : 'browse';
  page.offset = 0;
  document.body.dataset.mode = page.mode;
  setStatus(page.mode === 'browse' ? 'loading the catalog…' : 'searching…');
  try {
    const [facets, body] = await Promise.all([loadFacets(), fetchPage(0)]);
    if (mine !== generation) return;
    matching = facets.matching;
    renderResults(body, false);
    setStatus(body.results.length ? describeQuery(matching) : 'No products match: remove a filter (the × above) or Clear all.');
  } catch (e) {
    if (mine === generation) setStatus(e.message, true);
  }
}

async function more() {
  const mine = generation;
  const next = page.offset + Number(state.k);
  $('#more').disabled = true;
  try {
    const body = await fetchPage(next);
    if (mine !== generation) return;
    page.offset = next;
    renderResults(body, true);
    setStatus(describeQuery(matching));
  } catch (e) {
    setStatus(e.message, true);
  } finally {
    $('#more').disabled = false;
  }
}

// --- the product's larger view

async function openDetail(id, push) {
  const dialog = $('#detail');
  try {
    const body = await getJson('/api/items/' + encodeURIComponent(id));
    const item = body.item;
    dialog.dataset.id = id;
    $('#detail-image').src = item.image;
    $('#detail-image').alt = item.productDisplayName || id;
    $('#detail-name').textContent = item.productDisplayName || '#' + id;
    const table = $('#detail-attributes');
    table.replaceChildren();
    for (const a of ATTRIBUTES.concat(['year'])) {
      if (!item[a]) continue;
      const row = table.insertRow();
      row.dataset.name = a;
      row.insertCell().textContent = LABELS[a];
      row.insertCell().textContent = item[a];
    }
    const idRow = table.insertRow();
    idRow.insertCell().textContent = 'Product id';
    idRow.insertCell().textContent = id;
    const category = item.articleType || item.subCategory || item.masterCategory;
    const categoryAttribute = item.articleType ? 'articleType' : item.subCategory ? 'subCategory' : 'masterCategory';
    const inCategory = $('#detail-similar-category');
    inCategory.hidden = !category;
    inCategory.textContent = 'Similar in ' + category;
    inCategory.onclick = () => startFromProduct(id, { [categoryAttribute]: [category] });
    $('#detail-similar').onclick = () => startFromProduct(id, null);
    state.item = id;
    writeUrl(push);
    if (!dialog.open) dialog.showModal();
  } catch (e) {
    setStatus(e.message, true);
  }
}

function closeDetail() {
  const dialog = $('#detail');
  if (dialog.open) dialog.close();
}

// --- the query

async function showQueryProduct() {
  const box = $('#query-product');
  if (!state.id) { box.hidden = true; return; }
  try {
    const body = await getJson('/api/items/' + encodeURIComponent(state.id));
    box.hidden = false;
    box.textContent = 'Similar to #' + state.id + ': ' + (body.item.productDisplayName || '');
    $('#query-image').src = body.item.image;
    $('#query-image').hidden = false;
    $('#drop-text').textContent = 'Drop another image, or choose one';
  } catch (e) {
    box.hidden = false;
    box.textContent = e.message;
  }
}

function startFromProduct(id, filters) {
  state.id = id;
  state.image = null;
  state.text = '';
  state.item = '';
  if (filters) state.filters = filters;
  $('#text').value = '';
  $('#start-id').value = id;
  closeDetail();
  showQueryProduct();
  run(true);
  window.scrollTo(0, 0);
}

function useImage(file) {
  if (!file) return;
  state.image = file;
  state.id = '';
  $('#start-id').value = '';
  $('#query-product').hidden = true;
  const img = $('#query-image');
  img.src = URL.createObjectURL(file);
  img.hidden = false;
  $('#drop-text').textContent = file.name;
  run(true);
}

function resetQueryBox() {
  $('#query-image').hidden = true;
  $('#query-product').hidden = true;
  $('#drop-text').textContent = 'Search by photo: drop an image here or choose one';
}

function init() {
  readUrl();
  $('#text').value = state.text;
  if (![...$('#k').options].some((o) => o.value === state.k)) $('#k').add(new Option(state.k));
  $('#k').value = state.k;
  $('#start-id').value = state.id;
  if (narrow.matches) $('#filters-box').open = false; // on a phone the results come first; the chips above them say what is chosen
  $('#file').addEventListener('change', (e) => useImage(e.target.files[0]));
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    useImage(e.dataTransfer.files[0]);
  });
  $('#text-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.text = $('#text').value.trim();
    if (state.text) { state.id = ''; $('#start-id').value = ''; if (!state.image) resetQueryBox(); }
    run(true);
  });
  $('#k').addEventListener('change', () => { state.k = $('#k').value; run(true); });
  $('#start-id').addEventListener('change', () => {
    const id = $('#start-id').value.trim();
    if (id) startFromProduct(id, null);
  });
  $('#more').addEventListener('click', more);
  $('#clear').addEventListener('click', () => {
    state.id = ''; state.text = ''; state.image = null; state.filters = {}; state.item = '';
    $('#text').value = ''; $('#start-id').value = ''; $('#file').value = '';
    resetQueryBox();
    run(true);
  });
  $('#detail-close').addEventListener('click', closeDetail);
  $('#detail').addEventListener('click', (e) => { if (e.target === $('#detail')) closeDetail(); });
  $('#detail').addEventListener('close', () => { if (state.item) { state.item = ''; writeUrl(false); } });
  window.addEventListener('popstate', () => {
    readUrl();
    state.image = null;
    $('#text').value = state.text; $('#k').value = state.k; $('#start-id').value = state.id;
    if (!state.id) resetQueryBox();
    showQueryProduct();
    if (state.item) openDetail(state.item, false); else closeDetail();
    run(false);
  });
  getJson('/health').then((h) => {
    $('#index-info').textContent = h.index.documents.toLocaleString('en') + ' products · model ' + h.index.model +
      ' (' + h.index.weights + ') · generation ' + h.index.generation;
    if (h.warning) showWarning(h.warning);
  }).catch(() => {});
  showQueryProduct();
  if (state.item) openDetail(state.item, false);
  run(false);
}

init();
