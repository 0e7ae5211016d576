// The soft lock: as soon as an edit page opens, and then every minute while it
// stays open, tells the server this user is editing (the page's GET writes
// nothing to the database). Without JavaScript the page still works; others
// then are not told that this user is editing.
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
  ping();
  setInterval(ping, 60 * 1000);
})();
