{% raw %}
/* Filters for the report and the register: a search box and selects (status, section, severity)
   hide the rows ([data-row]) that do not match; the state lives in the URL's fragment
   (#section=apigw.shared&status=known), so a count elsewhere can link to its rows. A fragment that
   names an element (#<example id>, #<register id>, #section-<key>) opens it instead. */
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var none = document.querySelector(".none-shown");
  var unit = form.dataset.kind === "report" ? "examples" : "entries";
  var keys = ["q", "status", "section", "severity"].filter(function (k) { return form.elements[k]; });
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });

  function read() { var s = {}; keys.forEach(function (k) { s[k] = form.elements[k].value.trim(); }); return s; }
  function write(s) { keys.forEach(function (k) { form.elements[k].value = s[k] || ""; }); }
  function active(s) { return keys.some(function (k) { return s[k]; }); }
  function matches(r, i, s) {
    if (s.status && r.dataset.status !== s.status) { return false; }
    if (s.section && r.dataset.section !== s.section &&
        (r.dataset.also || "").split(" ").indexOf(s.section) < 0) { return false; }  /* a register entry: its own section or one it also governs */
    if (s.severity && (r.dataset.severity || "none") !== s.severity) { return false; }
    return !s.q || texts[i].indexOf(s.q.toLowerCase()) >= 0;
  }
  function apply(s) {
    var on = active(s), shown = 0;
    rows.forEach(function (r, i) { var ok = matches(r, i, s); r.hidden = !ok; if (ok) { shown += 1; } });
    groups.forEach(function (g) {
      var n = g.querySelectorAll("[data-row]:not([hidden])").length;
      g.hidden = on && n === 0;
      if (g.tagName === "DETAILS" && on) { g.open = n > 0; }
      var label = g.querySelector(":scope > summary .shown");
      if (label) { label.textContent = on ? n + " shown" : ""; }
    });
    form.elements.count.value = (on ? shown + " of " : "") + rows.length + " " + unit;
    if (none) { none.hidden = shown > 0; }
  }
  function toHash(s) {
    var p = new URLSearchParams();
    keys.forEach(function (k) { if (s[k]) { p.set(k, s[k]); } });
    var h = p.toString();
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }
  function reveal(el) {
    for (var p = el; p; p = p.parentElement) { if (p.tagName === "DETAILS") { p.open = true; } }
    el.scrollIntoView({block: "start"});
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    var target = h && document.getElementById(h);
    if (target) { write({}); apply({}); reveal(target); return; }
    var p = new URLSearchParams(h.indexOf("section-") === 0 ? "section=" + h.slice(8) : h), s = {};
    keys.forEach(function (k) { s[k] = p.get(k) || ""; });
    write(s);
    apply(s);
    if (active(s)) { form.scrollIntoView({block: "start"}); }
  }
  form.addEventListener("input", function () { var s = read(); toHash(s); apply(s); });
  form.elements.clear.addEventListener("click", function () {  /* back to the page as loaded: no filter, all folded */
    write({}); toHash({}); apply({});
    groups.forEach(function (g) { if (g.tagName === "DETAILS") { g.open = false; } });
    form.elements.expand.textContent = "expand all";
  });
  form.elements.expand.addEventListener("click", function () {
    var open = form.elements.expand.textContent === "expand all";
    groups.concat(rows).forEach(function (g) { if (g.tagName === "DETAILS" && !g.hidden) { g.open = open; } });
    form.elements.expand.textContent = open ? "collapse all" : "expand all";
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
}());
{% endraw %}
