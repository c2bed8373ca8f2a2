/* Filter and sort a list of papers in the browser: the papers index, and the long lists of
   author, mechanism and tag pages. The page holds every paper as HTML, so it is complete without
   JavaScript. The papers index names papers/index.json in its form's data-index (one compact row
   per paper, in the page's order), so filtering 10,000 papers compares small arrays; a shorter
   list is read from its own items into rows of the same shape, so both go through the same
   filter and sort. Matching items are shown a page at a time (PAGE), so a keystroke costs the
   same at 100 or 10,000 papers. The filter state lives in the URL query (q, from, to, mechanism,
   author, status, tag, sort: those the form has), so a filtered view can be linked and
   back/forward work. */
(function () {
  "use strict";
  var PAGE = 100;
  var form = document.getElementById("paper-filter");
  var list = document.getElementById("paper-list");
  if (!form || !list || !window.URLSearchParams || (form.hasAttribute("data-index") && !window.fetch)) return;
  var countLine = document.getElementById("f-count");
  var more = document.getElementById("f-more");
  var items = Array.prototype.slice.call(list.children);
  var FIELDS = ["q", "from", "to", "mechanism", "author", "status", "tag", "sort"].filter(function (name) { return form.elements[name]; });
  var rows = null, hay = [], authorNames = [], authorSlugs = [], orders = {}, matches = [], shown = 0, timer = 0;
  var collator = window.Intl ? new Intl.Collator(document.documentElement.lang || "en", { sensitivity: "base", numeric: true }) : null;

  function fold(s) {
    s = String(s || "").toLowerCase();
    return s.normalize ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : s;
  }

  function init(data) {
    if (!data || !data.papers || data.papers.length !== items.length) return; // out of step: keep the plain list
    rows = data.papers;
    var authors = data.authors, mechs = data.mechanisms, tags = data.tags;
    authorNames = authors.map(function (a) { return fold(a[1]); });
    authorSlugs = authors.map(function (a) { return a[0]; });
    hay = rows.map(function (r) {
      var parts = [r[1], r[6], r[10]];
      r[7].forEach(function (i) { parts.push(authors[i][1]); });
      r[8].forEach(function (i) { parts.push(mechs[i][1]); });
      r[9].forEach(function (i) { parts.push(tags[i][1]); });
      return fold(parts.join(" \u0001 "));
    });
    rows.forEach(function (r) {
      r.mechSlugs = r[8].map(function (i) { return mechs[i][0]; });
      r.tagSlugs = r[9].map(function (i) { return tags[i][0]; });
    });
    form.hidden = false;
    readURL();
    apply();
  }

  /* The rows of papers/index.json, read from the list items themselves: what an item shows
     (templates/_paper_item.html). An item does not show when it was added or its keywords. */
  function lastSegment(href) {
    var parts = String(href || "").split(/[?#]/)[0].replace(/\/+$/, "").split(/\//); // a pattern, not a quoted slash, which the base-URL checks read as a root-relative link
    return decodeURIComponent(parts[parts.length - 1] || "");
  }

  function fromItems() {
    var tables = { authors: [], mechanisms: [], tags: [] }, seen = { authors: {}, mechanisms: {}, tags: {} };
    function refs(item, selector, table) {
      return Array.prototype.map.call(item.querySelectorAll(selector), function (a) {
        var slug = lastSegment(a.getAttribute("href"));
        if (!(slug in seen[table])) {
          seen[table][slug] = tables[table].length;
          tables[table].push([slug, a.textContent.replace(/^#/, "")]);
        }
        return seen[table][slug];
      });
    }
    function text(item, selector) { var el = item.querySelector(selector); return el ? el.textContent : ""; }
    tables.papers = items.map(function (item) {
      var title = item.querySelector(".paper-title"), badge = item.querySelector(".reading .badge");
      var status = badge ? (/(?:^|\s)status-(\S+)/.exec(badge.className) || ["", ""])[1] : "";
      var year = parseInt(text(item, ".paper-meta .year"), 10);
      return [title ? lastSegment(title.getAttribute("href")) : "", title ? title.textContent : "",
        isNaN(year) ? null : year, "", (text(item, ".stars").match(/\u2605/g) || []).length, status,
        text(item, ".paper-meta cite"), refs(item, ".paper-meta .authors a", "authors"),
        refs(item, "ul.chips:not(.tags) a", "mechanisms"), refs(item, "ul.chips.tags a", "tags"), ""];
    });
    return tables;
  }

  function order(sort) {
    if (orders[sort]) return orders[sort];
    var idx = rows.map(function (_, i) { return i; });
    var cmp = {
      "year-asc": function (a, b) { return (rows[a][2] || 99999) - (rows[b][2] || 99999) || a - b; },
      "title": function (a, b) { return (collator ? collator.compare(rows[a][1], rows[b][1]) : (rows[a][1] < rows[b][1] ? -1 : rows[a][1] > rows[b][1] ? 1 : 0)) || a - b; },
      "added": function (a, b) { var x = rows[a][3], y = rows[b][3]; return x === y ? a - b : !x ? 1 : !y ? -1 : x < y ? 1 : -1; },
      "rating": function (a, b) { return rows[b][4] - rows[a][4] || a - b; }
    }[sort];
    if (cmp) idx.sort(cmp); // "year": the page's own order, newest first
    orders[sort] = idx;
    return idx;
  }

  function state() {
    var s = {};
    FIELDS.forEach(function (name) { s[name] = (form.elements[name].value || "").trim(); });
    return s;
  }

  function predicate(s) {
    var words = fold(s.q).split(/\s+/).filter(Boolean);
    var from = parseInt(s.from, 10), to = parseInt(s.to, 10);
    var who = null;
    if (s.author) {
      var a = fold(s.author);
      who = {};
      var exact = authorSlugs.indexOf(s.author); // an author page's link to the index names the author's page
      if (exact !== -1) who[exact] = true;
      else authorNames.forEach(function (name, i) { if (name.indexOf(a) !== -1) who[i] = true; });
    }
    return function (i) {
      var r = rows[i];
      if (!isNaN(from) && !(r[2] >= from)) return false;
      if (!isNaN(to) && !(r[2] !== null && r[2] <= to)) return false;
      if (s.status && (s.status === "none" ? r[5] !== "" : r[5] !== s.status)) return false;
      if (s.mechanism && r.mechSlugs.indexOf(s.mechanism) === -1) return false;
      if (s.tag && r.tagSlugs.indexOf(s.tag) === -1) return false;
      if (who && !r[7].some(function (k) { return who[k]; })) return false;
      var h = hay[i];
      for (var w = 0; w < words.length; w++) if (h.indexOf(words[w]) === -1) return false;
      return true;
    };
  }

  function apply() {
    var t0 = performance.now();
    var s = state();
    var keep = predicate(s);
    matches = order(s.sort || "year").filter(keep);
    shown = 0;
    list.textContent = "";
    showMore();
    var filtered = FIELDS.some(function (n) { return n !== "sort" && s[n]; });
    var noun = function (n) { return n.toLocaleString("en") + (n === 1 ? " paper" : " papers"); };
    countLine.textContent = (filtered ? noun(matches.length) + " of " + rows.length.toLocaleString("en") + " match" : noun(rows.length)) +
      (matches.length > shown ? " · showing the first " + shown.toLocaleString("en") : "") + ".";
    window.litweaveFilterMs = performance.now() - t0;
  }

  function showMore() {
    var frag = document.createDocumentFragment();
    var end = Math.min(matches.length, shown + PAGE);
    for (var k = shown; k < end; k++) frag.appendChild(items[matches[k]]);
    list.appendChild(frag);
    shown = end;
    more.hidden = shown >= matches.length;
    if (!more.hidden) more.textContent = "Show " + Math.min(PAGE, matches.length - shown) + " more (" + (matches.length - shown).toLocaleString("en") + " left)";
  }

  function readURL() {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var el = form.elements[name], v = params.get(name) || "";
      if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) v = "";
      el.value = v || (name === "sort" ? "year" : "");
    });
  }

  function writeURL(push) {
    var s = state(), params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (s[name] && !(name === "sort" && s[name] === "year")) params.set(name, s[name]); });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history[push ? "pushState" : "replaceState"](null, "", url);
    }
  }

  form.addEventListener("input", function (e) {
    if (!rows || e.target.tagName === "SELECT") return;
    apply();
    clearTimeout(timer);
    timer = setTimeout(function () { writeURL(false); }, 300);
  });
  form.addEventListener("change", function (e) {
    if (!rows) return;
    if (e.target.tagName === "SELECT") apply();
    writeURL(true);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { if (rows) { readURLClear(); apply(); writeURL(true); } }, 0);
  });
  function readURLClear() { FIELDS.forEach(function (n) { form.elements[n].value = n === "sort" ? "year" : ""; }); }
  more.addEventListener("click", function () { showMore(); });
  window.addEventListener("popstate", function () { if (rows) { readURL(); apply(); } });

  if (form.hasAttribute("data-index")) {
    fetch(form.getAttribute("data-index")).then(function (r) { return r.ok ? r.json() : null; }).then(init, function () {});
  } else {
    init(fromItems());
  }
})();
