/* The search page (/search/): searches the static index that generator/search/index.py writes.
   Words are normalised exactly as model/search.py does (fold, tokens, stem, term), and a query is evaluated
   as its `find` does: every word must match, scores are summed, the last word being typed also matches the
   words it begins, and a word that matches nothing is matched by the index term one edit from it. The form
   is a plain GET form (/search/?q=…&kind=…&theme=…&route=…), so a search can be linked to and the back
   button returns to the one before. Without JavaScript the form goes to the app's page of results
   (/app/search/), which reads the same index. Results are made with textContent: titles and summaries
   are contributed, and never become markup. */
(function () {
  "use strict";

  var FORMAT = 1; // the index layout this script reads (model.search.FORMAT)
  var SHOWN = 20; // results shown at first and added by "Show more results" (model.search.SHOWN)
  var MIN_TERM = 2, MAX_TERM = 32, PREFIX_FROM = 3, CORRECT_FROM = 4;
  var STOPWORDS = {};
  ("a an and are as at be been but by for from had has have he her his if in into is it its " +
   "not of on or our she so than that the their them then there these they this those to was " +
   "we were which will with you your").split(" ").forEach(function (w) { STOPWORDS[w] = true; });
  var FACETS = ["kind", "theme", "route"];
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var LETTERS = /[\p{L}\p{N}]+/gu; // Python's [^\W_]: Unicode's letters and digits
  var MARKS = /\p{M}/gu;

  // Lengths and slices count code points, as Python's do, not UTF-16 units.
  function len(s) { return Array.from(s).length; }
  function head(s, n) { return Array.from(s).slice(0, n).join(""); }

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(MARKS, "").toLowerCase();
  }

  function tokens(text) {
    return fold(text).match(LETTERS) || [];
  }

  function endsWith(word, suffixes) {
    return suffixes.some(function (s) { return word.slice(-s.length) === s; });
  }

  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    if (endsWith(word, ["ies"]) && word.length > 4) word = word.slice(0, -3) + "y";
    else if (endsWith(word, ["sses"])) word = word.slice(0, -2);
    else if (endsWith(word, ["s"]) && !endsWith(word, ["ss", "us", "is"])) word = word.slice(0, -1);
    var cut = false;
    if (endsWith(word, ["ing"]) && word.length >= 6) { word = word.slice(0, -3); cut = true; }
    else if (endsWith(word, ["ed"]) && word.length >= 5) { word = word.slice(0, -2); cut = true; }
    var last = word.charAt(word.length - 1);
    if (cut && word.length >= 4 && last === word.charAt(word.length - 2) && "aeiouylsz".indexOf(last) < 0) {
      word = word.slice(0, -1);
    }
    while (endsWith(word, ["e"]) && word.length >= 4) word = word.slice(0, -1);
    return word;
  }

  function term(token) {
    var n = len(token);
    if (n < MIN_TERM || n > MAX_TERM || STOPWORDS[token] === true) return null;
    return stem(token);
  }

  function terms(text) {
    return tokens(text).map(term).filter(function (t) { return t !== null; });
  }

  // The words of a query that count: {term, prefix, word} (model.search.query_words).
  function queryWords(query) {
    var found = tokens(query);
    // Not [\p{L}\p{N}]$: Chromium misses a letter outside the Basic Multilingual Plane at the end that way.
    var typing = found.length > 0 && /(?:\p{L}|\p{N})$/u.test(query);
    var out = [];
    found.forEach(function (token, i) {
      var last = typing && i === found.length - 1;
      if (last && len(token) >= PREFIX_FROM) {
        out.push({ term: STOPWORDS[token] === true ? token : stem(token), prefix: true, word: token });
      } else if (last && found.length > 1) {
        return;
      } else {
        var t = term(token);
        if (t !== null) out.push({ term: t, prefix: false, word: token });
      }
    });
    return out;
  }

  function matchesPrefix(t, word, stemmed) {
    return t.indexOf(stemmed) === 0 || (len(t) >= PREFIX_FROM && word.indexOf(t) === 0 && len(word) - len(t) <= 3);
  }

  // Whether b is a with one character added, taken away or changed, or two neighbours swapped (model.search.one_edit).
  function oneEdit(a, b) {
    a = Array.from(a); b = Array.from(b);
    if (a.join("") === b.join("") || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    var rest = function (x, from) { return x.slice(from).join(""); };
    if (a.length === b.length) {
      return rest(a, i + 1) === rest(b, i + 1) ||
        (i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, i + 2) === rest(b, i + 2));
    }
    if (a.length < b.length) return rest(a, i) === rest(b, i + 1);
    return rest(a, i + 1) === rest(b, i);
  }

  // Code point order, as Python compares strings (JavaScript's < compares UTF-16 units).
  function before(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) < y[i].codePointAt(0);
    }
    return x.length < y.length;
  }

  // The index term a word that found nothing most likely meant, among the shards already loaded for it:
  // [term, postings] or null (model.search.correction).
  function correction(t, shards) {
    if (len(t) < CORRECT_FROM) return null;
    var best = null, most = -1;
    shards.forEach(function (s) {
      Object.keys(s).forEach(function (c) {
        if (!oneEdit(t, c)) return;
        var n = decode(s[c]).length;
        if (n > most || (n === most && before(c, best[0]))) { best = [c, s[c]]; most = n; }
      });
    });
    return best;
  }

  // The word shown for a corrected one (model.search.shown_as).
  function shownAs(word, t, corrected) {
    return word.indexOf(t) === 0 ? corrected + Array.from(word).slice(len(t)).join("") : corrected;
  }

  function decode(text) {
    var out = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var d = ALPHABET.indexOf(text.charAt(i));
      if (d >= 32) n = n * 32 + d - 32;
      else { out.push(n * 32 + d); n = 0; }
    }
    return out;
  }

  function ungap(values) {
    var last = 0;
    return values.map(function (g) { last += g; return last; });
  }

  // What the results say of themselves (model.search.describe).
  function describe(query, found) {
    var count = found.results.length;
    var n = count === 1 ? "1 result" : count.toLocaleString("en-GB") + " results";
    var words = query.trim();
    if (!words) return count ? n + " for the filters chosen" : "No results for the filters chosen";
    if (found.corrections.length) {
      var instead = {};
      found.corrections.forEach(function (c) { instead[c[0]] = c[1]; });
      var corrected = tokens(query).map(function (t) { return Object.prototype.hasOwnProperty.call(instead, t) ? instead[t] : t; }).join(" ");
      return "Showing results for " + corrected + ": " + n + ". Nothing matched " + found.corrections.map(function (c) { return c[0]; }).join(" ") + ".";
    }
    return (count ? n : "No results") + " for " + words;
  }

  function shardFile(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "u" + Array.from(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  function shardOf(t, shards) {
    var three = head(t, 3);
    return len(t) >= 3 && shards[three] === true ? three : head(t, 2);
  }

  // For the tests that compare these with Python's: nothing else reads this.
  window.tieSearchText = {
    fold: fold, tokens: tokens, stem: stem, term: term, terms: terms, queryWords: queryWords, decode: decode,
    oneEdit: oneEdit, correction: correction, shownAs: shownAs, describe: describe
  };

  // -- the index ------------------------------------------------------------------------------

  function Index(base) {
    this.base = base;
    this.files = {};
    this.manifest = null;
  }

  Index.prototype.get = function (rel) {
    var self = this;
    if (!this.files[rel]) {
      var address = new URL(rel + (this.manifest ? "?v=" + this.manifest.build : ""), this.base).href;
      // The manifest is checked with the server every time, so a new build is seen at once; every other
      // file's address carries the build id, so it may be cached for as long as the host allows.
      this.files[rel] = fetch(address, { credentials: "same-origin", cache: this.manifest ? "default" : "no-cache" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(rel + ": " + r.status)); });
      this.files[rel].catch(function () { delete self.files[rel]; }); // a failed file is asked for again next time
    }
    return this.files[rel];
  };

  Index.prototype.open = function () {
    var self = this;
    if (this.manifest) return Promise.resolve(this.manifest);
    return this.get("manifest.json").then(function (m) {
      if (m.format !== FORMAT) return Promise.reject(new Error("index format " + m.format));
      var shards = {};
      m.shards.forEach(function (k) { shards[k] = true; });
      m.shardSet = shards;
      self.manifest = m;
      return m;
    });
  };

  Index.prototype.shard = function (key) {
    if (this.manifest.shardSet[key] !== true) return Promise.resolve({});
    return this.get("terms/" + shardFile(key) + ".json");
  };

  function postings(encoded) {
    var numbers = decode(encoded || "");
    var ids = ungap(numbers.filter(function (_, i) { return i % 2 === 0; }));
    var out = new Map();
    ids.forEach(function (id, i) { out.set(id, numbers[2 * i + 1]); });
    return out;
  }

  // For one word of the query: {best: Map of document id to score (the best of a prefix's terms), corrected:
  // the word searched for instead when it matched nothing, or null}.
  Index.prototype.word = function (w) {
    var self = this;
    var shards = self.manifest.shardSet;
    var keys = w.prefix ? [shardOf(w.term, shards), shardOf(w.word, shards)] : [shardOf(w.term, shards)];
    keys = keys.filter(function (k, i, all) { return all.indexOf(k) === i; });
    return Promise.all(keys.map(function (k) { return self.shard(k); })).then(function (loaded) {
      var best = new Map();
      if (!w.prefix) {
        best = postings(loaded[0][w.term]);
      } else {
        loaded.forEach(function (s) {
          Object.keys(s).forEach(function (candidate) {
            if (!matchesPrefix(candidate, w.word, w.term)) return;
            postings(s[candidate]).forEach(function (score, id) {
              if (!(best.get(id) >= score)) best.set(id, score);
            });
          });
        });
      }
      var corrected = null;
      if (best.size === 0) {
        var found = correction(w.term, loaded);
        if (found) {
          best = postings(found[1]);
          corrected = shownAs(w.word, w.term, found[0]);
        }
      }
      return { best: best, corrected: corrected };
    });
  };

  // The documents with any chosen value of each facet, in every facet chosen; null when nothing is chosen.
  Index.prototype.allowed = function (chosen) {
    var facets = FACETS.filter(function (f) { return chosen[f].length; });
    if (!facets.length) return Promise.resolve(null);
    return this.get("filters.json").then(function (lists) {
      var found = null;
      facets.forEach(function (facet) {
        var ids = new Set();
        chosen[facet].forEach(function (value) {
          ungap(decode((lists[facet] || {})[value] || "")).forEach(function (id) { ids.add(id); });
        });
        found = found === null ? ids : new Set(Array.from(found).filter(function (id) { return ids.has(id); }));
      });
      return found;
    });
  };

  // {results: [[id, score], ...] best first, corrections: [[word, shown], ...]} (model.search.find).
  Index.prototype.search = function (query, chosen) {
    var self = this;
    var words = [];
    return this.open().then(function () {
      words = queryWords(query);
      return Promise.all([self.allowed(chosen), Promise.all(words.map(function (w) { return self.word(w); }))]);
    }).then(function (both) {
      var allowed = both[0], found = both[1];
      if (!found.length) {
        var all = allowed === null ? [] : Array.from(allowed).sort(function (a, b) { return a - b; }).map(function (id) { return [id, 0]; });
        return { results: all, corrections: [] };
      }
      var corrections = [];
      found.forEach(function (f, i) { if (f.corrected !== null) corrections.push([words[i].word, f.corrected]); });
      var total = found[0].best;
      found.slice(1).forEach(function (f) {
        var next = new Map();
        total.forEach(function (score, id) { if (f.best.has(id)) next.set(id, score + f.best.get(id)); });
        total = next;
      });
      var out = [];
      total.forEach(function (score, id) { if (allowed === null || allowed.has(id)) out.push([id, score]); });
      out.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return { results: out, corrections: out.length ? corrections : [] };
    });
  };

  Index.prototype.documents = function (ids) {
    var self = this;
    var size = this.manifest.chunk;
    return Promise.all(ids.map(function (id) {
      return self.get("docs/" + Math.floor(id / size) + ".json").then(function (chunk) { return chunk[id % size]; });
    }));
  };

  // -- the page -------------------------------------------------------------------------------

  function enhance(box) {
    var form = box.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var status = box.querySelector(".tie-search__status");
    var list = box.querySelector(".tie-search__results");
    var more = box.querySelector(".tie-more");
    var filters = form.querySelector("details");
    var root = box.getAttribute("data-root");
    var index = new Index(new URL(box.getAttribute("data-index"), document.baseURI));
    var results = [];
    var shown = 0;
    var asked = 0; // searches started; only the latest may show its results


    function chosen() {
      var out = {};
      FACETS.forEach(function (f) {
        out[f] = Array.from(form.querySelectorAll("input[name=" + f + "]:checked")).map(function (b) { return b.value; });
      });
      return out;
    }

    function address() {
      var params = new URLSearchParams();
      if (input.value.trim()) params.set("q", input.value.trim());
      var c = chosen();
      FACETS.forEach(function (f) { c[f].forEach(function (v) { params.append(f, v); }); });
      var q = params.toString();
      return location.pathname + (q ? "?" + q : "");
    }

    function fromAddress() {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      var any = false;
      form.querySelectorAll("input[type=checkbox]").forEach(function (b) {
        b.checked = params.getAll(b.name).indexOf(b.value) >= 0;
        any = any || b.checked;
      });
      if (any) filters.open = true;
    }

    function item(doc) {
      var li = document.createElement("li");
      li.className = "tie-item";
      var a = document.createElement("a");
      a.href = root + doc[0];
      a.textContent = doc[1];
      var kind = document.createElement("span");
      kind.className = "tie-item__kind";
      kind.textContent = index.manifest.kinds[doc[3]] || doc[3];
      var summary = document.createElement("p");
      summary.textContent = doc[2];
      li.append(a, " ", kind, summary);
      return li;
    }

    var adding = null; // the results being added, so that a second press does not add the same ones again

    function showMore(moveFocus) {
      if (adding) return adding;
      var next = results.slice(shown, shown + SHOWN).map(function (r) { return r[0]; });
      var mine = asked;
      adding = index.documents(next).then(function (docs) {
        adding = null;
        if (mine !== asked) return;
        var first = null;
        docs.forEach(function (doc) {
          var li = item(doc);
          first = first || li;
          list.appendChild(li);
        });
        shown += docs.length;
        more.hidden = shown >= results.length;
        if (first && moveFocus) first.querySelector("a").focus(); // carry on from the first new result
      }, function (err) {
        adding = null;
        throw err;
      });
      return adding;
    }

    function run() {
      var mine = ++asked;
      var query = input.value;
      var c = chosen();
      if (!queryWords(query).length && !FACETS.some(function (f) { return c[f].length; })) {
        results = [];
        list.replaceChildren();
        more.hidden = true;
        status.textContent = "";
        return Promise.resolve();
      }
      return index.search(query, c).then(function (found) {
        if (mine !== asked) return;
        results = found.results;
        shown = 0;
        adding = null;
        list.replaceChildren();
        return showMore(false).then(function () {
          if (mine === asked) status.textContent = describe(query, found);
        });
      }).catch(function () {
        if (mine === asked) status.textContent = "Search could not load just now. Reload the page to try again.";
      });
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        history.replaceState(null, "", address()); // typing changes this search, not the history
        run();
      }, 150);
    });
    form.addEventListener("change", function (e) {
      if (e.target.type !== "checkbox") return;
      history.pushState(null, "", address()); // each filter chosen can be gone back from
      run();
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      if (address() !== location.pathname + location.search) history.pushState(null, "", address());
      run();
    });
    more.addEventListener("click", function () { showMore(true); });
    window.addEventListener("popstate", function () { fromAddress(); run(); });

    fromAddress();
    run();
  }

  function start() {
    var box = document.querySelector("#tie-search[data-index]");
    if (box && window.fetch && window.URLSearchParams) enhance(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
