/* Search page: Pagefind's JavaScript API over the prebuilt index in pagefind/.
   Results are passages (Pagefind sub-results split on each passage heading), so every hit links to its anchor.
   Excerpts are rebuilt as text nodes plus <mark>, so no markup from a document can ever run here. */
(function () {
  "use strict";
  var PAGE = 5, SUBS = 3;
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
  var pagefind = null, current = [], shown = 0, generation = 0;

  function say(text) { statusEl.textContent = text; }

  function safeExcerpt(html) {
    /* Parse inertly, keep only text and <mark>. */
    var frag = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
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
      s.score = (s.weighted_locations || []).reduce(function (t, w) { return t + (w.balanced_score || 0); }, 0);
    });
    subs = subs.sort(function (a, b) { return b.score - a.score || a.order - b.order; }).slice(0, SUBS);
    if (!subs.length) subs = [{ url: data.url, title: "Open the page", excerpt: data.excerpt }];
    if (subs.length === 1 && !subs[0].anchor && data.meta && /^Concept/.test(data.meta.about || "")) subs[0].title = "Concept page";
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
    var mine = generation;
    var batch = current.slice(shown, shown + PAGE);
    var items = await Promise.all(batch.map(renderResult));
    if (mine !== generation) return;
    items.forEach(function (li) { list.appendChild(li); });
    shown += batch.length;
    more.hidden = shown >= current.length;
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
    more.hidden = true;
    if (!q && !Object.keys(filters).length) { say("Type words to search, or choose a filter."); return; }
    say("Searching…");
    await load();
    var search = await pagefind.search(q || null, { filters: filters });
    if (mine !== generation) return;
    current = search.results;
    shown = 0;
    say(current.length ? current.length + (current.length === 1 ? " page matches." : " pages match.") : "No passages match. Try fewer words or remove a filter.");
    await showMore();
  }

  async function start() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    say("Loading the search index…");
    var wanted = FILTERS.some(function (f) { return params.get(f[0]); });
    try {
      await load();
      if (wanted) {
        filterBox.open = true;
        await ensureFilters();
      }
    } catch (err) {
      say("The search index could not be loaded. Serve the site over http (kb site serve), not from file://.");
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
