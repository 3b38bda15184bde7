/* okrs: filters of the objectives index (/objectives/). No dependency.
   Without this script the page lists every objective (or, on a large site, its part of
   them, with a pager); with it, a form (hidden in the HTML) shows only the objectives
   that match every chosen value. A row's attribute holds space-separated values:
   data-team="payments engineering" matches both the team and its parent. The choice is
   kept in the address (?status=off-track) so a filtered list can be shared.
   A paged index (the form has data-okrs-data) filters over every objective: the script
   fetches that compact JSON file (objectives/objectives.json) when a filter is first
   used, and lists the matches in place of the page's rows and pager. */
(function () {
  "use strict";

  function matches(values, chosen) {
    for (var name in chosen) {
      if ((values(name) || "").split(" ").indexOf(chosen[name]) < 0) return false;
    }
    return true;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // One row as templates/_index.html writes it (chip, bar and badge as in _macros.html).
  function rowHtml(data, o, href) {
    var c = data.index;
    function chip(id, kind) {
      var who = data.people[id] || [id, ""];
      return who[1] ? '<a class="okrs-chip okrs-chip--' + kind + '" href="' + escapeHtml(href(who[1])) + '">' + escapeHtml(who[0]) + "</a>"
                    : '<span class="okrs-chip">' + escapeHtml(who[0]) + "</span>";
    }
    var title = escapeHtml(o[c.title]), pct = o[c.progress], key = o[c.status];
    var team = o[c.filter_team].split(" ")[0];  // the team, then the teams above it
    var page = data.pages.objective.replace("{}", o[c.id]), periodPage = data.pages.period.replace("{}", o[c.period]);
    var status = data.statuses[key] || [key, ""];
    var tags = (o[c.tags] ? o[c.tags].split(" ") : []).map(function (slug) {
      var tag = data.tags[slug] || [slug, ""];
      return ' <a class="okrs-tag" href="' + escapeHtml(href(tag[1])) + '">' + escapeHtml(tag[0]) + "</a>";
    }).join("");
    return '<tr data-okrs-found><th scope="row" data-label="Objective"><a href="' + escapeHtml(href(page)) + '">' + title +
      '</a><span class="okrs-sub okrs-index__meta"><a href="' + escapeHtml(href(periodPage)) + '">' + escapeHtml(o[c.period]) + "</a>" + tags + "</span></th>" +
      '<td data-label="Owner and team">' + chip(o[c.owner], "person") + '<span class="okrs-sub">' + chip(team, "team") + "</span></td>" +
      '<td data-label="Progress"><span class="okrs-progress"><span class="okrs-bar okrs-bar--' + escapeHtml(key) +
      '" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="' + pct + '" aria-label="Progress of ' + title + ": " + pct +
      '%"><span class="okrs-bar__fill" style="width: ' + pct + '%"></span></span> <span class="okrs-bar__value">' + pct + "%</span></span>" +
      (o[c.score] ? ' <span class="okrs-score">score ' + escapeHtml(o[c.score]) + "</span>" : "") + "</td>" +
      '<td data-label="Status"><span class="okrs-badge okrs-badge--' + escapeHtml(key) + '"><span aria-hidden="true">' +
      escapeHtml(status[1]) + "</span> " + escapeHtml(status[0]) + "</span></td></tr>";
  }

  function setUp(form) {
    if (form.hasAttribute("data-okrs-ready")) return;
    form.setAttribute("data-okrs-ready", "");
    var selects = form.querySelectorAll("[data-okrs-filter]");  // a <select>, or a typed field on a large index
    var body = document.getElementById("okrs-objective-rows");
    var rows = Array.prototype.slice.call(document.querySelectorAll("#okrs-objective-rows > tr"));
    var count = form.querySelector("[data-okrs-count]");
    var none = document.querySelector("[data-okrs-none]");
    var pagers = document.querySelectorAll("[data-okrs-pager]");
    var source = form.getAttribute("data-okrs-data");
    var loading = null, data = null;
    var params = new URLSearchParams(window.location.search);

    function load() {
      if (!loading) {
        var url = new URL(source, window.location.href);
        loading = fetch(url).then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + url);
          return response.json();
        }).then(function (loaded) {
          loaded.index = {};
          loaded.columns.forEach(function (name, i) { loaded.index[name] = i; });
          var root = new URL("../", url);  // pages in the file are addresses from the site's root
          loaded.href = function (page) { return new URL(page, root).href; };
          data = loaded;
          return loaded;
        });
      }
      return loading;
    }

    function show(shown, total) {
      count.textContent = "Showing " + shown + " of " + total + " objectives";
      if (none) none.hidden = shown > 0;
    }

    function keep(query) {
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    function apply() {
      var chosen = {}, query = new URLSearchParams(), any = false;
      selects.forEach(function (select) {
        if (select.value) {
          chosen[select.getAttribute("data-okrs-filter")] = select.value;
          query.set(select.name, select.value);
          any = true;
        }
      });
      keep(query);
      if (!source) {  // one page: its rows are every objective
        var shown = 0;
        rows.forEach(function (row) {
          var show = matches(function (name) { return row.getAttribute("data-" + name); }, chosen);
          row.hidden = !show;
          if (show) shown += 1;
        });
        show(shown, rows.length);
        return;
      }
      var total = form.getAttribute("data-okrs-total");
      if (!any) {  // this page's part of the list, with its pager
        body.querySelectorAll("tr[data-okrs-found]").forEach(function (row) { row.remove(); });
        rows.forEach(function (row) { row.hidden = false; });
        pagers.forEach(function (pager) { pager.hidden = false; });
        count.textContent = "";
        if (none) none.hidden = true;
        return;
      }
      count.textContent = "Filtering all " + total + " objectives…";
      load().then(function (all) {
        var c = all.index, html = [], exact = {}, typed = {};
        var column = { period: c.period, status: c.status, team: c.filter_team, owner: c.filter_owner, tag: c.tags };
        selects.forEach(function (field) {
          var name = field.getAttribute("data-okrs-filter");
          if (!(name in chosen)) return;
          if (field.tagName === "INPUT") typed[name] = chosen[name].trim().toLowerCase();
          else exact[name] = chosen[name];
        });
        all.objectives.forEach(function (o) {
          if (!matches(function (name) { return String(o[column[name]]); }, exact)) return;
          for (var name in typed) {  // an id, or a part of a name, of any of the row's values
            var found = String(o[column[name]]).split(" ").some(function (id) {
              var who = all.people[id];
              return id === typed[name] || (who && who[0].toLowerCase().indexOf(typed[name]) >= 0);
            });
            if (!found) return;
          }
          html.push(rowHtml(all, o, all.href));
        });
        body.querySelectorAll("tr[data-okrs-found]").forEach(function (row) { row.remove(); });
        rows.forEach(function (row) { row.hidden = true; });
        pagers.forEach(function (pager) { pager.hidden = true; });
        body.insertAdjacentHTML("beforeend", html.join(""));
        show(html.length, all.objectives.length);
      }, function () {
        count.textContent = "The list of all objectives could not be loaded: filters are off.";
      });
    }

    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && (select.tagName === "INPUT" || select.querySelector('option[value="' + CSS.escape(wanted) + '"]'))) select.value = wanted;
      select.addEventListener("change", apply);
    });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("form.okrs-filter").forEach(setUp);
  }

  // Material's instant navigation swaps pages without a load event: it offers document$.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
