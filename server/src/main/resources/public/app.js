// The fashion search page: plain JavaScript, no build step. The URL holds the query
// (?id=..&text=..&k=..&<attribute>=..) so that it can be shared; an uploaded image lives only in
// this page.
'use strict';

const ATTRIBUTES = ['gender', 'masterCategory', 'subCategory', 'articleType', 'baseColour', 'season', 'usage'];
const state = { id: '', text: '', k: '20', filters: {}, image: null };
const $ = (sel) => document.querySelector(sel);

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.id = params.get('id') || '';
  state.text = params.get('text') || '';
  state.k = params.get('k') || '20';
  state.filters = {};
  for (const a of ATTRIBUTES) {
    if (params.get(a)) state.filters[a] = params.get(a);
  }
}

function writeUrl(push) {
  const params = new URLSearchParams();
  if (state.id) params.set('id', state.id);
  if (state.text) params.set('text', state.text);
  if (state.k !== '20') params.set('k', state.k);
  for (const [a, v] of Object.entries(state.filters)) params.set(a, v);
  const url = location.pathname + (params.toString() ? '?' + params : '');
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [a, v] of Object.entries(state.filters)) params.set(a, v);
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

async function loadFacets() {
  const body = await getJson('/api/facets?' + filterParams());
  const container = $('#filters');
  container.replaceChildren();
  for (const a of ATTRIBUTES) {
    const label = document.createElement('label');
    label.textContent = a;
    const select = document.createElement('select');
    select.id = 'filter-' + a;
    select.dataset.attribute = a;
    const any = new Option('any', '');
    select.add(any);
    const counts = body.facets[a] || {};
    for (const [value, count] of Object.entries(counts)) {
      select.add(new Option(value + ' (' + count + ')', value));
    }
    if (state.filters[a] && !(state.filters[a] in counts)) {
      select.add(new Option(state.filters[a] + ' (0)', state.filters[a]));
    }
    select.value = state.filters[a] || '';
    select.addEventListener('change', () => {
      if (select.value) state.filters[a] = select.value; else delete state.filters[a];
      run(true);
    });
    label.appendChild(select);
    container.appendChild(label);
  }
  return body;
}

function renderResults(body) {
  const grid = $('#results');
  grid.replaceChildren();
  for (const r of body.results) {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.id = r.id;
    const img = document.createElement('img');
    img.src = r.image;
    img.alt = r.productDisplayName || r.id;
    img.loading = 'lazy';
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = r.productDisplayName || ('#' + r.id);
    const attrs = document.createElement('div');
    attrs.className = 'attrs';
    for (const a of ATTRIBUTES.concat(['year'])) {
      if (!r[a]) continue;
      const span = document.createElement('span');
      span.className = 'attr';
      span.dataset.name = a;
      span.textContent = r[a];
      attrs.appendChild(span);
      attrs.appendChild(document.createTextNode(' · '));
    }
    if (attrs.lastChild) attrs.removeChild(attrs.lastChild);
    const score = document.createElement('div');
    score.className = 'score';
    score.textContent = 'score ' + r.score.toFixed(4) + ' · #' + r.id;
    card.append(img, name, attrs, score);
    card.addEventListener('click', () => startFromProduct(r.id));
    grid.appendChild(card);
  }
  setStatus(body.results.length + ' results in ' + body.took_ms + ' ms' +
    (Object.keys(state.filters).length ? ' · filtered by ' + Object.entries(state.filters).map(([a, v]) => a + '=' + v).join(', ') : ''));
  showWarning(body.warning);
}

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

let generation = 0;
async function run(push) {
  const mine = ++generation;
  writeUrl(push);
  try {
    await loadFacets();
    let body = null;
    const params = filterParams();
    params.set('k', state.k);
    if (state.image) {
      const form = new FormData();
      form.append('image', state.image);
      if (state.text) form.append('text', state.text);
      setStatus('searching…');
      body = await getJson('/api/search?' + params, { method: 'POST', body: form });
    } else if (state.id) {
      setStatus('searching…');
      body = await getJson('/api/items/' + encodeURIComponent(state.id) + '/similar?' + params);
    } else if (state.text) {
      const form = new FormData();
      form.append('text', state.text);
      setStatus('searching…');
      body = await getJson('/api/search?' + params, { method: 'POST', body: form });
    }
    if (mine !== generation) return;
    if (body) renderResults(body); else {
      $('#results').replaceChildren();
      setStatus('Drop an image, type words of a name, or enter a product id to start.');
    }
  } catch (e) {
    if (mine === generation) setStatus(e.message, true);
  }
}

function startFromProduct(id) {
  state.id = id;
  state.image = null;
  $('#start-id').value = id;
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

function init() {
  readUrl();
  $('#text').value = state.text;
  $('#k').value = state.k;
  $('#start-id').value = state.id;
  $('#file').addEventListener('change', (e) => useImage(e.target.files[0]));
  const drop = $('#drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    useImage(e.dataTransfer.files[0]);
  });
  $('#text').addEventListener('change', () => { state.text = $('#text').value.trim(); run(true); });
  $('#k').addEventListener('change', () => { state.k = $('#k').value; run(true); });
  $('#start-id').addEventListener('change', () => {
    const id = $('#start-id').value.trim();
    if (id) startFromProduct(id);
  });
  $('#clear').addEventListener('click', () => {
    state.id = ''; state.text = ''; state.image = null; state.filters = {};
    $('#text').value = ''; $('#start-id').value = ''; $('#file').value = '';
    $('#query-image').hidden = true; $('#query-product').hidden = true;
    $('#drop-text').textContent = 'Drop an image here or choose one';
    run(true);
  });
  window.addEventListener('popstate', () => {
    readUrl();
    state.image = null;
    $('#text').value = state.text; $('#k').value = state.k; $('#start-id').value = state.id;
    showQueryProduct();
    run(false);
  });
  getJson('/health').then((h) => {
    $('#index-info').textContent = h.index.documents + ' products · model ' + h.index.model +
      ' (' + h.index.weights + ') · generation ' + h.index.generation;
    if (h.warning) showWarning(h.warning);
  }).catch(() => {});
  showQueryProduct();
  run(false);
}

init();
