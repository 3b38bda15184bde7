/* okrs: filters of the objectives index (/objectives/). No dependency, no request.
   Without this script the page lists every objective; with it, a form (hidden in the
   HTML) shows only the rows whose data-* attributes match every chosen value. A row's
   attribute holds space-separated values: data-team="payments engineering" matches
   both the team and its parent. The choice is kept in the address (?status=off-track)
   so a filtered list can be shared. */
(function () {
  "use strict";

  function matches(row, chosen) {
    for (var name in chosen) {
      var values = (row.getAttribute("data-" + name) || "").split(" ");
      if (values.indexOf(chosen[name]) < 0) return false;
    }
    return true;
  }

  function setUp(form) {
    if (form.hasAttribute("data-okrs-ready")) return;
    form.setAttribute("data-okrs-ready", "");
    var selects = form.querySelectorAll("select[data-okrs-filter]");
    var rows = document.querySelectorAll("#okrs-objective-rows > tr");
    var count = form.querySelector("[data-okrs-count]");
    var none = document.querySelector("[data-okrs-none]");
    var params = new URLSearchParams(window.location.search);

    function apply() {
      var chosen = {}, query = new URLSearchParams();
      selects.forEach(function (select) {
        if (select.value) {
          chosen[select.getAttribute("data-okrs-filter")] = select.value;
          query.set(select.name, select.value);
        }
      });
      var shown = 0;
      rows.forEach(function (row) {
        var show = matches(row, chosen);
        row.hidden = !show;
        if (show) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " objectives";
      if (none) none.hidden = shown > 0;
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
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
