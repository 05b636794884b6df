(function () {
  document.documentElement.className += " js";
  var table = document.getElementById("units");
  if (!table) return;
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  var group = document.getElementById("f-group"), query = document.getElementById("f-q");
  function key(row, i, num) {
    var c = row.cells[i], v = c.getAttribute("data-sort");
    if (v === null) v = c.textContent.trim();
    if (!num) return v.toLowerCase();
    var n = parseFloat(v);
    return isNaN(n) ? -Infinity : n;
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    var btn = th.querySelector("button");
    if (!btn) return;
    btn.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      var num = th.hasAttribute("data-num");
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, i, num), y = key(b, i, num);
        var c = num ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, "vi");
        if (c === 0) c = a.getAttribute("data-order") - b.getAttribute("data-order");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  function filter() {
    var g = group.value, q = query.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var ok = (!g || r.getAttribute("data-group") === g) &&
               (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById("f-count").textContent = shown + " đơn vị";
  }
  group.addEventListener("change", filter);
  query.addEventListener("input", filter);
})();
