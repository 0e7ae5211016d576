// Keeps the soft lock fresh while an edit page stays open: every minute it tells
// the server this user is still here. Without JavaScript the page still works;
// the "also editing" notice then only reflects when the page was opened.
(function () {
  "use strict";
  var marker = document.querySelector("[data-presence-url]");
  if (!marker) {
    return;
  }
  var url = marker.getAttribute("data-presence-url");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  function ping() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
    }).catch(function () { /* offline for a moment: the next ping will do */ });
  }
  setInterval(ping, 60 * 1000);
})();
