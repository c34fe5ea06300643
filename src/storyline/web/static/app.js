// storyline: legend toggles and "scroll to the cited span". No network, no eval, no innerHTML.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var boxes = document.querySelectorAll("fieldset.legend input[data-toggle]");
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        document.body.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
      });
    });
    var target = null;
    if (location.hash.length > 1) {
      target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    }
    // a single document page opened with ?hl= but no #fragment: bring the first cited span into view
    if (!target && document.querySelectorAll("article.document").length === 1) {
      target = document.querySelector("mark.cited");
    }
    if (target && target.closest && target.closest(".text")) {
      var mark = target.classList.contains("cited") ? target : target.closest("mark.cited");
      if (mark) { mark.classList.add("focus"); }
      target.scrollIntoView({block: "center"});
    }
  });
})();
