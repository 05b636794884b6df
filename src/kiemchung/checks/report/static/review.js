(function () {
  document.documentElement.className += " js";
  var box = document.getElementById("canh-bao");
  if (!box) return;
  var buttons = box.querySelectorAll("button[data-filter]");
  function apply(state) {
    var shown = 0;
    Array.prototype.forEach.call(box.querySelectorAll("section.block"), function (block) {
      var visible = 0;
      Array.prototype.forEach.call(block.querySelectorAll("tr[data-review]"), function (row) {
        var ok = state === "all" || row.getAttribute("data-review") === state;
        row.hidden = !ok;
        if (ok) visible++;
      });
      block.hidden = visible === 0;
      shown += visible;
    });
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-filter") === state ? "true" : "false");
    });
    document.getElementById("loc-count").textContent = shown + " cảnh báo";
    document.getElementById("loc-empty").hidden = shown !== 0;
  }
  function fromHash() {
    var m = /^#loc-([a-z]+)$/.exec(location.hash);
    var state = m ? m[1] : "all";
    if (!box.querySelector('button[data-filter="' + state + '"]')) state = "all";
    apply(state);
  }
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () {
      var state = b.getAttribute("data-filter");
      if (history.replaceState) history.replaceState(null, "", "#loc-" + state);
      apply(state);
    });
  });
  window.addEventListener("hashchange", function () {
    if (/^#loc-/.test(location.hash)) fromHash();
  });
  fromHash();
})();
