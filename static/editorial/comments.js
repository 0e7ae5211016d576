// Editorial comments without leaving the page: a button of the comment panel
// posts just the panel's fields and the panel is redrawn with the answer.
// Without JavaScript the same buttons post the page's form (formaction).
(function () {
  "use strict";
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-comment-action]");
    var panel = button && button.closest("[data-comments]");
    if (!panel) {
      return;
    }
    event.preventDefault();
    var data = new FormData();
    panel.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
      if (input.name !== "csrfmiddlewaretoken") {
        data.append(input.name, input.value);
      }
    });
    if (button.name) {
      data.append(button.name, button.value);
    }
    button.disabled = true;
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
    }).then(function (response) {
      var html = response.headers.get("Content-Type") || "";
      if (html.indexOf("text/html") !== 0 || response.status >= 500 || response.status === 403) {
        throw new Error("refused");
      }
      return response.text().then(function (text) {
        var holder = document.createElement("div");
        holder.innerHTML = text;
        var fresh = holder.querySelector("[data-comments]");
        panel.replaceWith(fresh);
        var note = fresh.querySelector(".editorial-note");
        if (note) {
          note.setAttribute("tabindex", "-1");
          note.focus();
        }
      });
    }).catch(function () {
      button.disabled = false;
      var note = panel.querySelector(".editorial-note") || document.createElement("p");
      note.className = "editorial-note editorial-note-error";
      note.setAttribute("role", "alert");
      note.textContent = "The comment could not be sent (offline, or not allowed). Your text is still here.";
      panel.insertBefore(note, panel.firstChild);
    });
  });
})();
