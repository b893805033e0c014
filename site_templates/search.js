/* Search page: Pagefind's JavaScript API over the prebuilt index in pagefind/.
   Results are passages (Pagefind sub-results split on each passage heading), so every hit links to its anchor.
   Excerpts are rebuilt as text nodes plus <mark>, so no markup from a document can ever run here. */
(function () {
  "use strict";
  var PAGE = 5, SUBS = 3, EXTRA = 10;  /* EXTRA: results looked at beyond a page, to skip look-alike-only ones */
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var filtersBox = document.getElementById("filters");
  var filterBox = document.getElementById("filter-box");
  var filtersLoaded = null;
  var statusEl = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var root = new URL(".", document.baseURI);
  var FILTERS = [["publisher", "Publisher"], ["year", "Year"], ["type", "Document type"], ["concept", "Concept"]];
  var conceptBox = document.getElementById("concept-hit");
  var notesEl = document.getElementById("search-notes");
  var pagefind = null, current = [], shown = 0, looked = 0, generation = 0, terms = [], names = null;

  function say(text) { statusEl.textContent = text; }

  /* -- what counts as a match -------------------------------------------------------------------------------
     Pagefind stems words and then also matches every longer word starting with the stem, so "footing" (stem
     "foot") would match "footprint" and "ICS" (stem "ic") "ICB". A word counts here only when it and a query
     word differ by an inflection (integrate / integrated / integration, network / networks, ICS / ICSs). */
  var SUFFIXES = ["", "s", "es", "e", "ed", "d", "ing", "ings", "er", "ers", "r", "rs", "ion", "ions", "ation",
    "ations", "ly", "al", "ally", "ment", "ments", "y", "ies", "ied", "ity", "ities", "ive", "'s", "\u2019s"];

  function norm(word) {
    return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}'\u2019]+$/gu, "").replace(/['\u2019]$/, "");
  }

  function related(word, term) {
    if (word === term) return true;
    var p = 0;
    while (p < word.length && p < term.length && word[p] === term[p]) p++;
    if (p < Math.min(3, term.length) || (p < 3 && p < word.length)) return false;
    return SUFFIXES.indexOf(word.slice(p)) >= 0 && SUFFIXES.indexOf(term.slice(p)) >= 0;
  }

  function isMatch(text) {
    var parts = String(text).split(/[\s\-\u2010-\u2015\/]+/).map(norm).filter(Boolean);
    return parts.length > 0 && parts.some(function (w) { return terms.some(function (t) { return related(w, t); }); });
  }

  function matches(data, locations) {
    /* How many of these word locations hold a real match (Pagefind counts words split on white space). */
    if (!terms.length) return 1;  /* a filter-only search: every page counts */
    if (!data.content) return (locations || []).length;
    var words = data.__words || (data.__words = data.content.split(/\s+/).filter(Boolean));
    return (locations || []).filter(function (i) { return words[i] !== undefined && isMatch(words[i]); }).length;
  }

  function safeExcerpt(html) {
    /* Parse inertly, keep only text and <mark>. */
    var frag = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK" && isMatch(node.textContent)) {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        frag.appendChild(m);
      } else {
        frag.appendChild(document.createTextNode(node.textContent));
      }
    });
    return frag;
  }

  function relative(url) {
    /* Pagefind URLs start at the site root (baseUrl); make them relative to this page. */
    var target = new URL(url, location.href);
    return target.pathname.indexOf(root.pathname) === 0 ? target.pathname.slice(root.pathname.length) + target.hash : url;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function selected() {
    var out = {};
    FILTERS.forEach(function (f) {
      var s = document.getElementById("f-" + f[0]);
      if (s && s.value) out[f[0]] = s.value;
    });
    return out;
  }

  function buildFilters(available) {
    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (f) {
      var values = available[f[0]];
      if (!values || !Object.keys(values).length) return;
      var label = el("label", f[1]);
      label.htmlFor = "f-" + f[0];
      var select = document.createElement("select");
      select.id = "f-" + f[0];
      select.name = f[0];
      select.appendChild(new Option("Any", ""));
      Object.keys(values).sort().forEach(function (v) {
        select.appendChild(new Option(v + " (" + values[v] + ")", v));
      });
      if (params.get(f[0])) select.value = params.get(f[0]);
      select.addEventListener("change", run);
      var wrap = el("div", "", "filter");
      wrap.appendChild(label);
      wrap.appendChild(select);
      filtersBox.appendChild(wrap);
    });
  }

  function ensureFilters() {
    /* Filter values are fetched only when asked for: they are not needed for a plain search. */
    if (!filtersLoaded) {
      filtersLoaded = load().then(function () { return pagefind.filters(); }).then(buildFilters);
    }
    return filtersLoaded;
  }

  async function load() {
    if (pagefind) return pagefind;
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    /* noWorker: search on the page itself rather than in Pagefind's web worker, which would download a second
       copy of its search code (about 12 KB) before the first result; a search takes milliseconds either way. */
    await pagefind.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true });
    await pagefind.init();
    return pagefind;
  }

  async function renderResult(result) {
    var data = await result.data();
    if (!matches(data, data.locations)) return null;  /* only look-alike words (footprint for footing) */
    var li = el("li", "", "result");
    var h = el("h2");
    var a = el("a", (data.meta && data.meta.title) || data.url);
    a.href = relative(data.url);
    h.appendChild(a);
    li.appendChild(h);
    if (data.meta && data.meta.about) li.appendChild(el("p", data.meta.about, "result-meta"));
    var subs = (data.sub_results || []).filter(function (s) { return s.anchor; });
    subs.forEach(function (s, i) {
      s.order = i;
      s.real = matches(data, s.locations);
      s.score = (s.weighted_locations || []).reduce(function (t, w) { return t + (w.balanced_score || 0); }, 0);
    });
    subs = subs.filter(function (s) { return s.real > 0; });
    subs = subs.sort(function (a, b) { return b.real - a.real || b.score - a.score || a.order - b.order; }).slice(0, SUBS);
    if (!subs.length) subs = [{ url: data.url, title: "Open the page", excerpt: data.excerpt }];
    var ul = el("ul", "", "passages");
    subs.forEach(function (s) {
      var item = el("li");
      var link = el("a", s.title.replace(/\s+/g, " ").trim() || "Open the passage");
      link.href = relative(s.url);
      link.className = "passage-link";
      var p = el("p", "", "excerpt");
      p.appendChild(safeExcerpt(s.excerpt || ""));
      item.appendChild(link);
      item.appendChild(p);
      ul.appendChild(item);
    });
    li.appendChild(ul);
    return li;
  }

  async function showMore() {
    /* Show the next PAGE results that really contain a query word, looking at most PAGE + EXTRA results. */
    var mine = generation, added = 0, budget = PAGE + EXTRA;
    while (added < PAGE && looked < current.length && budget > 0) {
      var batch = current.slice(looked, looked + Math.min(PAGE - added, budget));
      looked += batch.length;
      budget -= batch.length;
      var items = await Promise.all(batch.map(renderResult));
      if (mine !== generation) return;
      items.forEach(function (li) { if (li) { list.appendChild(li); added++; } });
    }
    shown += added;
    more.hidden = looked >= current.length;
    if (!shown && more.hidden) say("No page holds these words (only words that merely start the same way).");
  }

  /* -- the query: words, an optional "quoted phrase", and the CLI's field filters ------------------------------ */
  function parse(q) {
    /* concept:X, publisher:X, year:2020 or year:2019..2021, type:X (X may be "quoted"); the rest is text. */
    var fields = {}, notes = [];
    var text = q.replace(/\b(concept|publisher|year|type|doc|date|title):("[^"]*"|\S+)/gi, function (_, k, v) {
      fields[k.toLowerCase()] = v.replace(/^"|"$/g, "").trim();
      return " ";
    }).replace(/\s+/g, " ").trim();
    ["doc", "date", "title"].forEach(function (k) {
      if (fields[k] !== undefined) notes.push(k + ": works in `kb search`, not here (use the filters below).");
    });
    if (/(^|\s)(AND|OR|NOT)(\s|$)|(^|\s)[-+]\S|\*/.test(text)) {
      notes.push("AND, OR, NOT, -word, +word and word* work in `kb search`; here every word is looked for, best matches first.");
      text = text.replace(/(^|\s)(AND|OR|NOT)(?=\s|$)/g, " ").replace(/(^|\s)[-+]/g, " ").replace(/\*/g, "").trim();
    }
    var quotes = text.match(/"[^"]+"/g) || [];
    if (quotes.length && !(quotes.length === 1 && /^"[^"]+"$/.test(text))) {
      notes.push("A \"quoted phrase\" is matched exactly only when it is the whole query; here its words were looked for.");
      text = text.replace(/"/g, "").trim();
    }
    return { text: text, fields: fields, notes: notes };
  }

  function key(text) {
    return String(text).toLowerCase().replace(/[\u2018\u2019']/g, "").replace(/^the\s+/, "").replace(/\s+/g, " ").trim();
  }

  async function conceptNames() {
    if (!names) {
      var none = { names: {}, concepts: {} };
      names = fetch(new URL("concept-names.json", root).href).then(function (r) { return r.ok ? r.json() : none; })
        .catch(function () { return none; });
    }
    return names;
  }

  function findConcept(data, text) {
    /* The concept the query names, as kb's resolver finds it (names.js), if a document mentions it. */
    var id = kbNames.find(data.names, String(text).trim().replace(/^"|"$/g, ""));
    return (id && Object.prototype.hasOwnProperty.call(data.concepts, id)) ? data.concepts[id] : null;
  }

  function showConcept(row) {
    conceptBox.textContent = "";
    conceptBox.hidden = !row;
    if (!row) return;
    var a = el("a", row[0] + (row[2] ? " (" + row[2] + ")" : ""));
    a.href = row[1];
    var h = el("p");
    h.appendChild(document.createTextNode("Concept: "));
    h.appendChild(a);
    conceptBox.appendChild(h);
    conceptBox.appendChild(el("p", row[3].toLocaleString("en-GB") + " mention" + (row[3] === 1 ? "" : "s") + " in " +
      row[4].toLocaleString("en-GB") + " document" + (row[4] === 1 ? "" : "s") + ": its page shows where it first appears and every mention.", "result-meta"));
  }

  async function fieldFilters(fields, filters) {
    /* Turn concept:, publisher:, year: and type: into Pagefind filters; return a message when one matches nothing. */
    if (fields.year !== undefined) {
      var m = /^(\d{4})(?:\.\.(\d{4}))?$/.exec(fields.year);
      if (!m) return "year: takes a year or a range, like year:2020 or year:2019..2021.";
      var years = [];
      for (var y = +m[1]; y <= +(m[2] || m[1]); y++) years.push(String(y));
      filters.year = { any: years };
    }
    if (fields.concept !== undefined) {
      var row = findConcept(await conceptNames(), fields.concept);
      if (!row) return "No concept named \u201c" + fields.concept + "\u201d is mentioned in these documents, so concept:" +
        fields.concept + " matches nothing. The Concepts page lists every concept with its names.";
      filters.concept = row[0];
      showConcept(row);
    }
    var wanted = [["publisher", "publisher"], ["type", "type"]].filter(function (f) { return fields[f[0]] !== undefined; });
    if (wanted.length) {
      var available = await pagefind.filters();
      for (var i = 0; i < wanted.length; i++) {
        var name = wanted[i][0], values = Object.keys(available[name] || {});
        var hit = values.find(function (v) { return key(v) === key(fields[name]); }) ||
          values.find(function (v) { return key(v).indexOf(key(fields[name])) >= 0; });
        if (!hit) return "No " + name + " matches \u201c" + fields[name] + "\u201d. Known: " + values.sort().join("; ") + ".";
        filters[name] = hit;
      }
    }
    return null;
  }

  async function run(event) {
    if (event) event.preventDefault();
    var q = input.value.trim();
    var filters = selected();
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    history.replaceState(null, "", "?" + params.toString());
    var mine = ++generation;
    list.textContent = "";
    notesEl.textContent = "";
    showConcept(null);
    more.hidden = true;
    if (!q && !Object.keys(filters).length) { say("Type words to search, or choose a filter."); return; }
    say("Searching…");
    await load();
    var parsed = parse(q);
    parsed.notes.forEach(function (n) { notesEl.appendChild(el("li", n)); });
    var problem = await fieldFilters(parsed.fields, filters);
    if (mine !== generation) return;
    if (problem) { say(problem); return; }
    terms = parsed.text.replace(/"/g, " ").split(/[\s\-\u2010-\u2015\/]+/).map(norm).filter(Boolean);
    if (parsed.text && parsed.fields.concept === undefined) {
      var row = findConcept(await conceptNames(), parsed.text);
      if (mine !== generation) return;
      showConcept(row);
    }
    var search = await pagefind.search(parsed.text || null, { filters: filters });
    if (mine !== generation) return;
    current = search.results;
    shown = 0;
    looked = 0;
    var n = current.length;
    say(n ? (parsed.text ? "Up to " : "") + n.toLocaleString("en-GB") + (n === 1 ? " page" : " pages") +
      " (a document, or one part of a long one) " + (parsed.text ? "hold these words; the best passages of each are shown." : "match the filters.")
      : "No passages match. Try fewer words or remove a filter.");
    await showMore();
  }

  async function start() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (location.protocol === "file:") {
      say("Search needs the site served over http: browsers do not let a page opened from disk (file://) load the " +
        "search index. In a terminal, run `kb site serve` in the project folder (or `kb site serve --out FOLDER` " +
        "for a site built elsewhere), then open http://127.0.0.1:8000/search.html. Every other page works from disk.");
      return;
    }
    say("Loading the search index…");
    var wanted = FILTERS.some(function (f) { return params.get(f[0]); });
    try {
      await load();
      if (wanted) {
        filterBox.open = true;
        await ensureFilters();
      }
    } catch (err) {
      say("The search index could not be loaded (" + err + "). Was the site built with `kb site build` (not --no-search)?");
      return;
    }
    filterBox.hidden = false;
    filterBox.addEventListener("toggle", function () { if (filterBox.open) ensureFilters(); });
    form.addEventListener("submit", run);
    more.addEventListener("click", showMore);
    if (input.value || Object.keys(selected()).length) await run();
    else say("Type words to search, or choose a filter.");
  }

  start();
})();
