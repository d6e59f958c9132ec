// The search page: searches the site's static index (search/, made by
// src/ncg_digest/search.py) as the reader types.
//
// Words are runs of letters and digits, lower-cased, without accents, and a
// final "s" is dropped from words of more than three letters not ending in
// "ss" -- the same rules the index was made with. Every query word must be
// found (a query word finds the indexed words it begins); one-letter words are
// left out. A page scores, for each query word, its best matching word's
// weight times how rare that word is; words in the title count more. Equal
// scores keep the site's page order.
//
// Opened from disk (file://), the browser will not let the page fetch the
// index, so the page says so and keeps its link to the topic index; without
// JavaScript the same notice simply stays. Page text only ever becomes text
// nodes, never markup. Kept in its own file, with no inline script or handler,
// so a Content-Security-Policy can forbid them.
(function () {
  "use strict";

  var FORMAT = 2; // the layout of the index this script reads (FORMAT in search.py)
  var PAGE_SIZE = 20;
  var DELAY = 180; // milliseconds of quiet typing before a search starts
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var WORD = /[\p{L}\p{N}]+/gu;

  function normal(text) {
    return text.toLowerCase().normalize("NFKD").replace(MARKS, "");
  }

  function fold(word) {
    return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
  }

  function queryWords(text) {
    var found = [];
    (normal(text).match(WORD) || []).forEach(function (word) {
      word = fold(word);
      if (word.length > 1 && found.indexOf(word) < 0) {
        found.push(word);
      }
    });
    return found;
  }

  // The shards holding the words `word` begins: the last shard whose name is
  // not after the word, and those whose names the word begins. (Shard names
  // are in order; a shard holds the words from its name to the next name.)
  function shardsFor(word, names) {
    var found = [];
    for (var n = names.length - 1; n >= 0; n--) {
      if (names[n] <= word) {
        found.push(n);
        break;
      }
    }
    names.forEach(function (name, n) {
      if (name.startsWith(word) && found.indexOf(n) < 0) {
        found.push(n);
      }
    });
    return found;
  }

  // The number of the chunk of page records that holds page `n`.
  function chunkOf(n, starts) {
    var low = 0;
    var high = starts.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (starts[middle] <= n) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  function Index(manifestUrl) {
    this.base = new URL(".", manifestUrl);
    this.files = {};
    // An index of another layout (made by another version of the program) is not read as if it were this one.
    this.manifest = this.load("index.json").then(function (manifest) {
      if (manifest.format !== FORMAT) {
        throw new Error("search index format " + manifest.format + ", this page reads " + FORMAT);
      }
      return manifest;
    });
  }

  Index.prototype.load = function (name) {
    if (!this.files[name]) {
      this.files[name] = fetch(new URL(name, this.base).href).then(function (response) {
        if (!response.ok) {
          throw new Error(name + ": HTTP " + response.status);
        }
        return response.json();
      });
      var files = this.files;
      files[name].catch(function () { delete files[name]; }); // a file that failed is fetched again next time
    }
    return this.files[name];
  };

  // Page number -> this word's score on that page.
  Index.prototype.scores = function (word) {
    var index = this;
    return this.manifest.then(function (manifest) {
      var numbers = shardsFor(word, manifest.shards);
      return Promise.all(numbers.map(function (n) { return index.load("terms/" + n + ".json"); })).then(function (shards) {
        var scores = new Map();
        shards.forEach(function (shard) {
          Object.keys(shard).forEach(function (term) {
            if (term.startsWith(word)) {
              addTerm(scores, shard[term], manifest.pages, term === word ? 1 : 0.8);
            }
          });
        });
        return scores;
      });
    });
  };

  function addTerm(scores, postings, pageCount, factor) {
    var rarity = Math.log(1 + pageCount / (postings.length / 2)) * factor;
    var page = 0;
    for (var i = 0; i < postings.length; i += 2) {
      page += postings[i];
      var weight = postings[i + 1];
      var count = weight >> 1;
      var score = ((weight & 1) ? 3 : 0) + (count ? 1 + Math.log(count) : 0);
      score *= rarity;
      if (!(scores.get(page) >= score)) {
        scores.set(page, score);
      }
    }
  }

  // The pages holding every word, best first.
  Index.prototype.search = function (words) {
    return Promise.all(words.map(this.scores, this)).then(function (each) {
      var total = each[0];
      each.slice(1).forEach(function (scores) {
        var both = new Map();
        total.forEach(function (score, page) {
          if (scores.has(page)) {
            both.set(page, score + scores.get(page));
          }
        });
        total = both;
      });
      return Array.from(total).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; }).map(function (e) { return e[0]; });
    });
  };

  // [path, title, kind, date, outlet, excerpt] of each page.
  Index.prototype.pages = function (numbers) {
    var index = this;
    return this.manifest.then(function (manifest) {
      return Promise.all(numbers.map(function (n) {
        var chunk = chunkOf(n, manifest.chunks);
        return index.load("pages/" + chunk + ".json").then(function (records) {
          return records[n - manifest.chunks[chunk]];
        });
      }));
    });
  };

  // `text` as text nodes, with the words the query words begin in <mark>.
  function highlighted(text, words) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var pattern = new RegExp(WORD.source, "gu");
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var word = normal(match[0]);
      var hit = words.some(function (w) { return word.startsWith(w) || fold(word).startsWith(w); });
      if (hit) {
        fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
        var mark = document.createElement("mark");
        mark.textContent = match[0];
        fragment.appendChild(mark);
        last = match.index + match[0].length;
      }
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    node.className = className;
    return node;
  }

  function resultItem(page, words, root) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-result-title");
    var link = document.createElement("a");
    link.setAttribute("href", root + page[0]);
    link.appendChild(highlighted(page[1] || page[0], words));
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = element("p", "meta");
    meta.textContent = [page[2], page[3], page[4]].filter(Boolean).join(" · ");
    item.appendChild(meta);
    if (page[5]) {
      var excerpt = element("p", "search-excerpt");
      excerpt.appendChild(highlighted(page[5], words));
      item.appendChild(excerpt);
    }
    return item;
  }

  function quoted(text) {
    return "\u201c" + text.trim() + "\u201d";
  }

  function explain(notice, text) {
    notice.querySelector(".reason").textContent = text;
    notice.hidden = false;
  }

  function start() {
    var box = document.getElementById("search");
    var notice = document.getElementById("search-unavailable");
    if (!box || !notice) {
      return;
    }
    if (window.location.protocol === "file:") {
      explain(notice, "Search cannot run on a page opened from disk (file://): the browser does not let it load its index. Serve the site from a web server to search it.");
      return;
    }
    var form = box.querySelector("form");
    var input = box.querySelector("input");
    var status = box.querySelector(".search-status");
    var list = box.querySelector(".search-results");
    var more = box.querySelector(".search-more");
    // Result links are relative to the site's root (the folder of the timeline page).
    var root = box.getAttribute("data-root").replace(/[^/]*$/, "");
    var index = new Index(new URL(box.getAttribute("data-index"), window.location.href));
    var current = {query: null, words: [], results: [], shown: 0, run: 0};
    var timer = null;

    function fail() {
      status.textContent = "";
      explain(notice, "The search index could not be loaded.");
    }

    // The next results; the first ones replace what an earlier query showed (kept until now, so typing does not flicker).
    function showMore(focusFirst) {
      var run = current.run;
      var numbers = current.results.slice(current.shown, current.shown + PAGE_SIZE);
      more.hidden = true;
      return index.pages(numbers).then(function (pages) {
        if (run !== current.run) {
          return;
        }
        if (current.shown === 0) {
          list.textContent = "";
        }
        var first = null;
        pages.forEach(function (page) {
          var item = resultItem(page, current.words, root);
          first = first || item;
          list.appendChild(item);
        });
        current.shown += pages.length;
        more.hidden = current.shown >= current.results.length;
        if (focusFirst && first) {
          first.querySelector("a").focus();
        }
      }, fail);
    }

    function run(query) {
      if (query === current.query) {
        return;
      }
      var words = queryWords(query);
      current = {query: query, words: words, results: [], shown: 0, run: current.run + 1};
      var thisRun = current.run;
      more.hidden = true;
      if (!words.length) {
        list.textContent = "";
        status.textContent = query.trim() ? "Type a word of at least two letters or digits." : "";
        return;
      }
      index.search(words).then(function (results) {
        if (thisRun !== current.run) {
          return;
        }
        current.results = results;
        return showMore(false).then(function () {
          if (thisRun !== current.run) {
            return;
          }
          var count = results.length;
          // Said once the first results are on the page, so a screen reader announces a list that is there.
          status.textContent = count
            ? count + (count === 1 ? " result for " : " results for ") + quoted(query)
            : "No results for " + quoted(query) + ". Try fewer or shorter words, or browse the topic index.";
        });
      }, fail);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { run(input.value); }, DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      run(input.value);
    });
    more.addEventListener("click", function () { showMore(true); });

    form.hidden = false;
    notice.hidden = true;
    index.manifest.catch(fail);
    var asked = new URLSearchParams(window.location.search).get("q");
    if (asked) {
      input.value = asked;
      run(asked);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
