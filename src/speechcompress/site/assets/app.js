/* scc site: search, filter and sort the catalog in the page, as `scc search` and
 * `scc list` do. The words of every paper were computed by scc itself (embedded in
 * #UI-data as ids into one word list), so this file only ports the matching rules of
 * speechcompress/search.py and the filters of speechcompress/query.py. Keep them in step.
 */
(function () {
  "use strict";

  const EXACT = 3, PREFIX = 2, FUZZY = 1;
  const CHUNK = 100; // cards drawn at once; more as the reader scrolls
  const FACETS = ["year", "venue", "method", "model"];
  const MULTI = ["year", "venue", "method", "model", "author"];

  const data = JSON.parse(document.getElementById("UI-data").textContent);
  const papers = data.papers;
  const N = papers.length;
  const NF = data.fields.length;
  const FIELD = Object.fromEntries(data.fields.map((name, i) => [name, i]));
  const ALL_FIELDS = data.fields.map((_, i) => i);
  const position = new Map(papers.map((p, i) => [p.id, i]));
  const PREFIX_FIELDS = Object.fromEntries(
    Object.entries(data.prefixFields).map(([k, names]) => [k, names.map((n) => FIELD[n])]));

  // --- text: speechcompress/text.py and vocab.py ------------------------------------
  const SPECIAL = { "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ı": "i" };
  const SPECIAL_RE = /[øØłŁđĐæÆœŒßı]/g;
  const ASCII = /^[\x00-\x7f]*$/;
  function fold(text) {
    if (ASCII.test(text)) return text.toLowerCase();
    return text.normalize("NFKD").replace(SPECIAL_RE, (c) => SPECIAL[c])
      .replace(/\p{Mn}/gu, "").toLowerCase();
  }
  function words(text) {
    const out = [];
    for (const run of text.split(/[^\p{L}\p{N}]+/u)) {
      if (!run) continue;
      const found = fold(run).match(/[\p{L}\p{N}]+/gu);
      if (found) out.push(...found);
    }
    return out;
  }
  const squash = (text) => words(text).join("");
  const key = (text) => text.replace(/_/g, "-").trim().split(/\s+/).join(" ").toLowerCase();
  const lookup = (pairs, keyOf) => {
    const map = new Map();
    for (const [name, canonical] of pairs) if (!map.has(keyOf(name))) map.set(keyOf(name), canonical);
    return map;
  };
  const VENUES = lookup(data.venues, key);
  const methodKey = (text) => key(text).replace(/ /g, "-");
  const METHODS = lookup(data.methods, methodKey);

  class Problem extends Error {}

  // --- the word index -----------------------------------------------------------------
  // search.field_texts: the text of each searchable field. For ASCII text, text.words
  // is lower-case split on anything but letters and digits; for other text scc sent the
  // words it computed (paper.w, by field index).
  const fieldTexts = (p) => [p.ti, p.a.join(" ; "), p.m.join(" "), p.mo.join(" ; "), p.v,
    p.s || "", p.ab || ""];
  const vocab = [];
  const wordId = new Map();
  // All word ids in one typed array: paper p's field f is W[O[p*NF+f] .. O[p*NF+f+1]).
  const O = new Int32Array(N * NF + 1);
  let W = new Int32Array(1 << 16);
  let total = 0;
  papers.forEach((paper, i) => {
    fieldTexts(paper).forEach((text, f) => {
      const given = paper.w && paper.w[f];
      const found = given !== undefined ? given : text.toLowerCase().replace(/[^a-z0-9]+/g, " ");
      for (const w of found.split(" ")) {
        if (!w) continue;
        let id = wordId.get(w);
        if (id === undefined) { id = vocab.length; vocab.push(w); wordId.set(w, id); }
        if (total === W.length) { const grown = new Int32Array(W.length * 2); grown.set(W); W = grown; }
        W[total++] = id;
      }
      O[i * NF + f + 1] = total;
    });
    delete paper.w;
    paper.fa = paper.fa || paper.a.map((a) => a.toLowerCase());
    paper.ms = paper.ms || paper.mo.map((m) => m.toLowerCase().replace(/[^a-z0-9]+/g, ""));
  });
  if (fieldTexts(papers[0] || { a: [], m: [], mo: [] }).length !== NF) throw new Error("scc: field list out of step");
  // Postings: for each word, the positions i in W where it occurs (a counting sort), and
  // for each position its paper and field. A term then visits only the words it matches.
  const paperOf = new Int32Array(total), fieldOf = new Uint8Array(total);
  for (let p = 0; p < N; p++) {
    for (let f = 0; f < NF; f++) {
      for (let i = O[p * NF + f]; i < O[p * NF + f + 1]; i++) { paperOf[i] = p; fieldOf[i] = f; }
    }
  }
  const postStart = new Int32Array(vocab.length + 1);
  for (let i = 0; i < total; i++) postStart[W[i] + 1]++;
  for (let w = 0; w < vocab.length; w++) postStart[w + 1] += postStart[w];
  const postings = new Int32Array(total);
  const fill = postStart.slice(0, vocab.length);
  for (let i = 0; i < total; i++) postings[fill[W[i]]++] = i;


  // --- filters: speechcompress/query.py ---------------------------------------------
  function parseYears(text) {
    const m = /^(\d{4})?(\.\.)?(\d{4})?$/.exec(text.trim());
    if (!m || !(m[1] || m[3]) || (!m[2] && !m[1])) throw new Problem(`invalid year "${text}"`);
    const low = m[1] ? +m[1] : null;
    const high = m[2] ? (m[3] ? +m[3] : null) : low;
    for (const y of [low, high]) {
      if (y !== null && (y < data.years[0] || y > data.years[1])) throw new Problem(`year ${y} is out of range`);
    }
    if (low !== null && high !== null && low > high) throw new Problem(`empty year range "${text}"`);
    return (year) => (low === null || year >= low) && (high === null || year <= high);
  }
  function resolveVenue(value) {
    const venue = VENUES.get(key(value));
    if (!venue) throw new Problem(`unknown venue "${value}"`);
    return venue;
  }
  function resolveMethod(value) {
    const method = METHODS.get(methodKey(value));
    if (!method) throw new Problem(`unknown method "${value}"`);
    return method;
  }
  function resolveModel(value) {
    const want = squash(value);
    if (!want || !papers.some((p) => p.ms.some((m) => m.startsWith(want)))) {
      throw new Problem(`no paper names the model "${value}"`);
    }
    return want;
  }

  // --- the query language: speechcompress/search.py --------------------------------
  function shlexSplit(text) {
    // shlex in POSIX mode, splitting on whitespace, with only double quotes as quotes.
    const parts = [];
    let current = null, quoted = false;
    for (const ch of text) {
      if (quoted) {
        if (ch === '"') quoted = false; else current += ch;
      } else if (ch === '"') {
        quoted = true;
        if (current === null) current = "";
      } else if (/\s/.test(ch)) {
        if (current !== null) { parts.push(current); current = null; }
      } else {
        current = (current === null ? "" : current) + ch;
      }
    }
    if (quoted) throw new Problem("unbalanced quotes");
    if (current !== null) parts.push(current);
    return parts;
  }

  function parseQuery(text, problems) {
    let parts;
    try {
      parts = shlexSplit(text);
    } catch (e) {
      // `scc search` refuses this; while typing, read the open quote as closed.
      problems.push(`${e.message}: reading the phrase as if it were closed`);
      parts = shlexSplit(text + '"');
    }
    const terms = [];
    for (const part of parts) {
      const colon = part.indexOf(":");
      const prefix = colon >= 0 ? part.slice(0, colon).toLowerCase() : "";
      const rest = colon >= 0 ? part.slice(colon + 1) : "";
      try {
        if (colon >= 0 && ["author", "title", "venue", "method", "model", "year"].includes(prefix)) {
          if (!rest) throw new Problem(`nothing to search for after ${prefix}:`);
          if (prefix === "year") terms.push({ field: "year", years: parseYears(rest), key: "y|" + rest.trim() });
          else if (prefix === "venue") {
            const value = resolveVenue(rest);
            terms.push({ field: "venue", value, key: "v|" + value });
          } else if (prefix === "method") {
            const value = resolveMethod(rest);
            terms.push({ field: "method", value, key: "m|" + value });
          }
          else {
            const found = words(rest);
            if (!found.length) throw new Problem(`nothing to search for in ${prefix}:${rest}`);
            terms.push(textTerm(found, prefix));
          }
        } else {
          const found = words(part);
          if (found.length) terms.push(textTerm(found, null));
        }
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        problems.push(`${e.message} (ignored)`);
      }
    }
    return terms;
  }

  function fuzzyBudget(word) { return word.length < 5 ? 0 : word.length < 9 ? 1 : 2; }

  let rowA = new Int32Array(64), rowB = new Int32Array(64);

  function withinEdits(a, b, k) {
    // search.within_edits: the pieces test first, then Levenshtein rows given up early.
    if (Math.abs(a.length - b.length) > k) return false;
    const size = Math.floor(a.length / (k + 1));
    if (size) {
      let piece = false;
      for (let i = 0; i <= k && !piece; i++) piece = b.includes(a.slice(i * size, (i + 1) * size));
      if (!piece) return false;
    }
    if (b.length + 1 > rowA.length) { rowA = new Int32Array(2 * b.length + 2); rowB = new Int32Array(2 * b.length + 2); }
    let previous = rowA, current = rowB;
    for (let j = 0; j <= b.length; j++) previous[j] = j;
    for (let i = 1; i <= a.length; i++) {
      current[0] = i;
      let low = i;
      const ca = a.charCodeAt(i - 1);
      for (let j = 1; j <= b.length; j++) {
        const cell = Math.min(previous[j] + 1, current[j - 1] + 1,
          previous[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
        current[j] = cell;
        if (cell < low) low = cell;
      }
      if (low > k) return false;
      [previous, current] = [current, previous];
    }
    return previous[b.length] <= k;
  }

  function textTerm(termWords, field) {
    // Expanded over the vocabulary only when its scores are not cached (see scoresOf).
    return { field, words: termWords, key: `t|${field || ""}|${termWords.join(" ")}` };
  }

  function expand(term) {
    const termWords = term.words;
    // A word of the vocabulary that starts `joined` may begin a run of words whose
    // letters, hyphens and spaces ignored, equal the term ("self-supervised" meets
    // "selfsupervised"): search.py's squashed match.
    const joined = termWords.join("");
    const starts = new Uint8Array(vocab.length);
    let tiers = null;
    if (termWords.length === 1) {
      const word = termWords[0];
      const budget = fuzzyBudget(word);
      tiers = new Uint8Array(vocab.length);
      for (let i = 0; i < vocab.length; i++) {
        const v = vocab[i];
        if (v === word) tiers[i] = EXACT;
        else if (word.length >= 3 && v.startsWith(word)) tiers[i] = PREFIX;
        else if ((word.length >= 4 && v.includes(word)) || (budget && withinEdits(word, v, budget))) tiers[i] = FUZZY;
        if (v.length < joined.length && joined.startsWith(v)) starts[i] = 1;
      }
    } else {
      for (let i = 0; i < vocab.length; i++) if (joined.startsWith(vocab[i])) starts[i] = 1;
    }
    const candidates = [];
    for (let i = 0; i < vocab.length; i++) if ((tiers && tiers[i]) || starts[i]) candidates.push(i);
    Object.assign(term, { joined, tiers, starts, candidates, fields: PREFIX_FIELDS[term.field] || ALL_FIELDS });
  }

  function runFrom(i, end, joined) {
    let at = 0;
    for (let j = i; j < end; j++) {
      const v = vocab[W[j]];
      if (!joined.startsWith(v, at)) return false;
      at += v.length;
      if (at === joined.length) return true;
    }
    return false;
  }

  function fieldTermScore(term, paper) {
    // search.field_term_score: year:, venue: and method: terms.
    if (term.field === "year") return term.years(paper.y) ? EXACT * 100 : 0;
    if (term.field === "venue") return paper.v === term.value ? EXACT * 100 + data.weights[FIELD.venue] : 0;
    return paper.m.includes(term.value) ? EXACT * 100 + data.weights[FIELD.methods] : 0;
  }

  function textScores(term) {
    // search._score for every paper at once: the best tier * 100 + field weight over the
    // term's fields. Walks the postings of only the words that can match (see expand).
    expand(term);
    const scores = new Int32Array(N);
    const inFields = new Uint8Array(NF);
    for (const f of term.fields) inFields[f] = 1;
    for (const w of term.candidates) {
      const tier = term.tiers ? term.tiers[w] : 0;
      const starts = term.starts[w] === 1;
      for (let k = postStart[w]; k < postStart[w + 1]; k++) {
        const i = postings[k], f = fieldOf[i];
        if (!inFields[f]) continue;
        const p = paperOf[i];
        const t = tier < EXACT && starts && runFrom(i, O[p * NF + f + 1], term.joined) ? EXACT : tier;
        if (t) {
          const score = t * 100 + data.weights[f];
          if (score > scores[p]) scores[p] = score;
        }
      }
    }
    return scores;
  }

  // --- state and the URL -------------------------------------------------------------
  const form = document.getElementById("UI-form");
  const box = document.getElementById("UI-q");
  const sortBox = document.getElementById("UI-sort");
  const results = document.getElementById("UI-results");
  const countEl = document.getElementById("UI-count");
  const errorEl = document.getElementById("UI-q-error");
  const activeEl = document.getElementById("UI-active");
  const targetNotice = document.getElementById("UI-target-notice");
  const live = document.getElementById("UI-live");
  const cards = new Array(N); // built on first use: 10,000 papers draw what is shown

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    node.append(...children); // strings become text nodes: catalog text is never HTML
    return node;
  }

  function card(p) {
    if (cards[p]) return cards[p];
    const paper = papers[p];
    const article = el("article", { id: paper.id, "data-paper-id": paper.id },
      el("h3", {}, el("a", { href: "#" + paper.id }, paper.ti)),
      el("p", { class: "by" }, paper.a.join(", "), " ",
        el("span", {}, "· ", el("b", {}, paper.v), " " + paper.y)));
    const links = [[paper.v, paper.vu], ["arXiv", paper.ax && "https://arxiv.org/abs/" + paper.ax],
      ["code", paper.c], ["DOI", paper.d && "https://doi.org/" + paper.d]].filter(([, url]) => url);
    if (links.length) {
      article.append(el("ul", { class: "links", "aria-label": "Links" },
        ...links.map(([label, url]) => el("li", {}, el("a", { href: url }, label)))));
    }
    const tags = [...paper.m.map((m) => ["method", m]), ...paper.mo.map((m) => ["model", m])];
    if (tags.length) {
      const line = el("p", { class: "tags" });
      tags.forEach(([name, value], i) => {
        if (i) line.append(" ");
        line.append(el("a", { href: "?" + new URLSearchParams({ [name]: value }), class: name }, value));
      });
      article.append(line);
    }
    if (paper.s) article.append(el("p", { class: "summary" }, paper.s));
    if (paper.ab) article.append(el("details", {}, el("summary", {}, "Abstract"), el("p", {}, paper.ab)));
    article.append(el("button", { type: "button", class: "bib" }, "Copy BibTeX"));
    cards[p] = article;
    return article;
  }

  function emptyState() {
    return { q: "", year: [], venue: [], method: [], model: [], author: [], code: false, sort: "" };
  }

  function stateFromURL() {
    const params = new URLSearchParams(location.search);
    const state = emptyState();
    state.q = params.get("q") || "";
    for (const name of MULTI) state[name] = params.getAll(name).filter((v) => v.trim());
    state.code = ["1", "true", "yes"].includes((params.get("code") || "").toLowerCase());
    const sort = params.get("sort") || "";
    state.sort = ["relevance", "newest", "title"].includes(sort) ? sort : "";
    return state;
  }

  function urlOf(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const name of MULTI) for (const v of state[name]) params.append(name, v);
    if (state.code) params.set("code", "1");
    if (state.sort) params.set("sort", state.sort);
    const query = params.toString();
    return (query ? "?" + query : location.pathname.split("/").pop() || "./") + location.hash;
  }

  let state = emptyState();

  function compile(problems) {
    // Check every value as build_filters does; a bad one is reported and left out.
    const keep = (name, resolve) => {
      const out = [], values = [];
      for (const raw of state[name]) {
        try {
          out.push(resolve(raw));
          values.push(raw);
        } catch (e) {
          if (!(e instanceof Problem)) throw e;
          problems.push(`${e.message} (ignored)`);
        }
      }
      state[name] = values;
      return out;
    };
    state.venue = state.venue.map((v) => VENUES.get(key(v)) || v);
    state.method = state.method.map((m) => METHODS.get(methodKey(m)) || m);
    return {
      year: keep("year", parseYears),
      venue: new Set(keep("venue", resolveVenue)),
      method: new Set(keep("method", resolveMethod)),
      model: keep("model", resolveModel),
      author: keep("author", (a) => fold(a).trim()),
      code: state.code,
    };
  }

  // One bit per filter a paper fails: a facet counts the papers that fail no other filter.
  const BIT = { year: 1, venue: 2, method: 4, model: 8, author: 16, code: 32 };

  function failures(filters, paper) {
    let mask = 0;
    if (filters.year.length && !filters.year.some((r) => r(paper.y))) mask |= BIT.year;
    if (filters.venue.size && !filters.venue.has(paper.v)) mask |= BIT.venue;
    if (filters.method.size && !paper.m.some((m) => filters.method.has(m))) mask |= BIT.method;
    if (filters.model.length && !paper.ms.some((m) => filters.model.some((w) => m.startsWith(w)))) mask |= BIT.model;
    if (filters.author.length && !paper.fa.some((a) => filters.author.some((w) => a.includes(w)))) mask |= BIT.author;
    if (filters.code && !paper.c) mask |= BIT.code;
    return mask;
  }

  // Typing changes the query, not the filters, and mostly one term at a time: both the
  // filters' masks and each term's scores over all papers are kept between keystrokes.
  let masksKey = null, masks = null;
  function masksOf(filters) {
    const signature = JSON.stringify(MULTI.map((n) => state[n]).concat([state.code]));
    if (signature !== masksKey) {
      masks = new Uint8Array(N);
      for (let p = 0; p < N; p++) masks[p] = failures(filters, papers[p]);
      masksKey = signature;
    }
    return masks;
  }

  const termCache = new Map();
  function scoresOf(term) {
    let scores = termCache.get(term.key);
    if (!scores) {
      if (term.words) scores = textScores(term);
      else {
        scores = new Int32Array(N);
        for (let p = 0; p < N; p++) scores[p] = fieldTermScore(term, papers[p]);
      }
      if (termCache.size > 64) termCache.clear();
      termCache.set(term.key, scores);
    }
    return scores;
  }

  // --- updating the page -------------------------------------------------------------
  let shown = []; // paper indexes, in display order
  let rendered = [];

  function update({ push = false } = {}) {
    const started = performance.now();
    const problems = [];
    const terms = state.q.trim() ? parseQuery(state.q, problems) : [];
    const filters = compile(problems);
    const masks = masksOf(filters);
    const termScores = terms.map(scoresOf);
    const scores = new Int32Array(N);
    const counts = { year: new Map(), venue: new Map(), method: new Map(), model: new Map(), code: 0 };
    const matched = [];
    for (let p = 0; p < N; p++) {
      let score = 0;
      for (const s of termScores) {
        if (!s[p]) { score = -1; break; }
        score += s[p];
      }
      if (score < 0) continue;
      const mask = masks[p], paper = papers[p];
      if (mask === 0) { matched.push(p); scores[p] = score; }
      if ((mask & ~BIT.year) === 0) bump(counts.year, String(paper.y));
      if ((mask & ~BIT.venue) === 0) bump(counts.venue, paper.v);
      if ((mask & ~BIT.method) === 0) for (const m of paper.m) bump(counts.method, m);
      if ((mask & ~BIT.model) === 0) for (const m of paper.mo) bump(counts.model, m);
      if ((mask & ~BIT.code) === 0 && paper.c) counts.code += 1;
    }
    const sort = state.sort || (terms.length ? "relevance" : "newest");
    if (sort === "relevance") matched.sort((a, b) => scores[b] - scores[a] || papers[b].y - papers[a].y || a - b);
    else if (sort === "title") matched.sort((a, b) => papers[a].t - papers[b].t);
    else matched.sort((a, b) => papers[b].y - papers[a].y || a - b);
    shown = matched;
    const matchedAt = performance.now();
    render(matched);
    showCounts(counts);
    syncControls(sort, terms.length > 0);
    errorEl.textContent = problems.join("; ");
    countEl.textContent = matched.length === N ? `${N} papers`
      : `${matched.length} of ${N} papers`;
    const url = urlOf(state);
    if (url !== location.search + location.hash || push) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
    showTarget(false);
    // For the browser tests' timing record: milliseconds spent matching and drawing.
    document.documentElement.dataset.timing = `${(matchedAt - started).toFixed(1)} ${(performance.now() - matchedAt).toFixed(1)}`;
  }

  function bump(map, k) { map.set(k, (map.get(k) || 0) + 1); }

  // Only the first CHUNK results are drawn; more follow as the reader scrolls near the
  // end (or presses "Show more"), so a keystroke never waits for thousands of cards.
  const more = el("p", { class: "more", hidden: "" });
  const moreButton = el("button", { type: "button" }, "Show more");
  more.append(moreButton);
  results.after(more);
  let drawn = 0;

  function render(order) {
    if (order.length === rendered.length && order.every((p, i) => p === rendered[i])) return;
    rendered = order;
    drawn = 0;
    results.replaceChildren();
    drawMore(CHUNK);
  }

  function drawMore(n) {
    const fragment = document.createDocumentFragment();
    const until = Math.min(rendered.length, drawn + n);
    for (; drawn < until; drawn++) fragment.appendChild(card(rendered[drawn]));
    results.appendChild(fragment);
    const left = rendered.length - drawn;
    more.hidden = left === 0;
    moreButton.textContent = `Show ${Math.min(CHUNK, left)} more (${left} not shown yet)`;
  }

  function renderThrough(p) {
    // A permalink to a card not drawn yet: draw every card up to it.
    const index = rendered.indexOf(p);
    if (index >= drawn) drawMore(index + 1 - drawn);
  }

  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) drawMore(CHUNK);
  }, { rootMargin: "600px" }).observe(more);
  moreButton.addEventListener("click", () => {
    const next = drawn;
    drawMore(CHUNK);
    if (cards[rendered[next]]) cards[rendered[next]].querySelector("h3 a").focus();
  });

  function showCounts(counts) {
    for (const input of form.querySelectorAll('input[type="checkbox"]')) {
      const n = input.name === "code" ? counts.code : counts[input.name].get(input.value) || 0;
      const label = input.closest("label");
      label.querySelector(".n").textContent = String(n);
      label.classList.toggle("zero", n === 0);
    }
  }

  function syncControls(sort, hasQuery) {
    if (document.activeElement !== box && box.value !== state.q) box.value = state.q;
    sortBox.value = sort;
    sortBox.querySelector('[value="relevance"]').disabled = !hasQuery;
    const modelKeys = new Set(state.model.map(squash));
    for (const input of form.querySelectorAll('input[type="checkbox"]')) {
      const name = input.name;
      if (name === "code") input.checked = state.code;
      else if (name === "model") input.checked = modelKeys.has(squash(input.value));
      else input.checked = state[name].includes(input.value);
    }
    // Values no checkbox shows (ranges, prefixes, authors) appear as removable chips.
    const chips = [];
    for (const name of MULTI) {
      for (const value of state[name]) {
        const boxed = name === "model"
          ? data.models.some((m) => squash(m) === squash(value))
          : form.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
        if (!boxed) chips.push([name, value]);
      }
    }
    activeEl.replaceChildren(...chips.map(([name, value]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.dataset.remove = name;
      button.dataset.value = value;
      button.textContent = `${name}: ${value} ×`;
      button.setAttribute("aria-label", `Remove the filter ${name} ${value}`);
      return button;
    }));
    const anything = state.q || state.code || MULTI.some((n) => state[n].length);
    if (anything) {
      const clear = document.createElement("button");
      clear.type = "button";
      clear.className = "chip clear";
      clear.dataset.clear = "1";
      clear.textContent = "Clear all";
      activeEl.appendChild(clear);
    }
  }

  function showTarget(scroll) {
    document.querySelectorAll(".is-target").forEach((el) => el.classList.remove("is-target"));
    const id = decodeURIComponent(location.hash.slice(1));
    const p = position.get(id);
    targetNotice.hidden = true;
    if (p === undefined) return;
    if (!shown.includes(p)) {
      targetNotice.replaceChildren(
        `The paper “${papers[p].id}” is hidden by the current search or filters. `);
      const show = document.createElement("button");
      show.type = "button";
      show.dataset.clear = "1";
      show.textContent = "Show all papers";
      targetNotice.appendChild(show);
      targetNotice.hidden = false;
      return;
    }
    renderThrough(p);
    cards[p].classList.add("is-target");
    if (scroll) cards[p].scrollIntoView({ block: "start" });
  }

  // --- copying BibTeX -------------------------------------------------------------------
  async function copy(text, what) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch { ok = false; }
      area.remove();
    }
    live.textContent = ok ? `Copied ${what}.` : `Could not copy ${what}: your browser refused.`;
    document.dispatchEvent(new CustomEvent("scc:copied", { detail: { text, ok } }));
    return ok;
  }

  // --- events ---------------------------------------------------------------------------
  box.addEventListener("input", () => { state.q = box.value; update(); });
  sortBox.addEventListener("change", () => { state.sort = sortBox.value; update(); });
  form.addEventListener("submit", (event) => { event.preventDefault(); state.q = box.value; update({ push: true }); });
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "checkbox") return;
    if (input.name === "code") state.code = input.checked;
    else if (input.name === "model") {
      state.model = state.model.filter((v) => squash(v) !== squash(input.value));
      if (input.checked) state.model.push(input.value);
    } else {
      state[input.name] = state[input.name].filter((v) => v !== input.value);
      if (input.checked) state[input.name].push(input.value);
    }
    update({ push: true });
  });
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    // A method or model tag, or a chart's bar label: a link to ?KEY=VALUE.
    const tag = target.closest(".tags a, .chart a");
    if (tag && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      const [name, value] = [...new URL(tag.href).searchParams][0];
      if (!state[name].includes(value)) state[name].push(value);
      update({ push: true });
      results.focus({ preventScroll: true });
      return;
    }
    const remove = target.closest("[data-remove]");
    if (remove) {
      state[remove.dataset.remove] = state[remove.dataset.remove].filter((v) => v !== remove.dataset.value);
      update({ push: true });
      box.focus();
      return;
    }
    if (target.closest("[data-clear]")) {
      state = emptyState();
      box.value = "";
      update({ push: true });
      showTarget(true);
      box.focus();
      return;
    }
    const button = target.closest("button.bib");
    if (button) {
      const p = position.get(button.closest("[data-paper-id]").dataset.paperId);
      copy(papers[p].b, `the BibTeX of ${papers[p].id}`).then((ok) => {
        if (!ok) return;
        button.textContent = "Copied ✓";
        setTimeout(() => { button.textContent = "Copy BibTeX"; }, 1500);
      });
      return;
    }
    if (target.closest("#UI-copy-all")) {
      copy(shown.map((p) => papers[p].b).join("\n"), `the BibTeX of ${shown.length} papers`);
    }
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLElement &&
      (event.target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "Escape" && event.target === box && box.value) {
      box.value = "";
      state.q = "";
      update();
    }
  });
  window.addEventListener("popstate", () => { state = stateFromURL(); box.value = state.q; update(); showTarget(true); });
  window.addEventListener("hashchange", () => showTarget(true));

  state = stateFromURL();
  box.value = state.q;
  update();
  showTarget(location.hash.length > 1);
  document.documentElement.dataset.ready = "1";
})();
