// Reader pages: a claim's marker leads to its entry in "How we know this",
// which is folded (<details>); this opens the entry it leads to, and every
// entry before printing, and keeps a marker's popover (who said it) inside
// the window. Without JavaScript the link still lands on the entry's
// one-line summary, and the popover shows from the marker's left edge.
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.querySelector("details");
    if (details && target.classList.contains("claim-entry")) {
      details.open = true;
    }
  }

  function keepTipInView(event) {
    var tip = event.target.closest && event.target.closest(".claim-marker a");
    tip = tip && tip.querySelector(".claim-tip");
    if (!tip) {
      return;
    }
    tip.style.transform = "";
    var margin = 8;
    var rect = tip.getBoundingClientRect();
    var overflow = rect.right - (document.documentElement.clientWidth - margin);
    if (overflow > 0) {
      tip.style.transform = "translateX(" + -Math.min(overflow, rect.left - margin) + "px)";
    }
  }

  document.addEventListener("mouseover", keepTipInView);
  document.addEventListener("focusin", keepTipInView);
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".claim-entry details").forEach(function (details) {
      details.open = true;
    });
  });
  openTarget();
})();
