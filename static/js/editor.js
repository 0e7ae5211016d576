// The writing surface (admin article add/change page). Everything here is an
// enhancement: without JavaScript the form saves, the claims panel is a page
// of its own and each claim is fixed on its own page.
//
// - Ctrl/Cmd+S saves and keeps editing; Alt+N (Alt+Shift+N) goes to the next
//   (previous) claim beside the text and selects its sentence in the body.
// - The claims panel asks the server for itself again: often while claims are
//   being proposed for the latest save, now and then otherwise.
// - "Fix" opens one claim in a dialog; its form posts back to the same view.
// - Typing in the body asks which checked claims the edit would reopen.
// - "Add a byline" adds a box to the ordered byline list.
(function () {
  "use strict";
  var form = document.getElementById("article_form");
  if (!form) {
    return;
  }
  var panel = document.getElementById("claims-panel");
  var announcer = document.getElementById("claims-announce");
  var dialog = document.getElementById("claim-dialog");
  var body = document.getElementById("id_body");
  var timer = null;
  var current = -1;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(text) {
    if (announcer && text) {
      announcer.textContent = text;
    }
  }

  // Saving from the keyboard.
  function save() {
    if (dialog && dialog.open) {
      var claimForm = dialog.querySelector("form");
      if (claimForm) {
        claimForm.requestSubmit(claimForm.querySelector("button[value=correct]"));
      }
      return;
    }
    var keep = form.querySelector("input[name=_continue]");
    form.requestSubmit(keep || undefined);
  }

  // The claims panel.
  function claimItems() {
    return panel ? panel.querySelectorAll("li[data-claim]") : [];
  }

  function goToClaim(step) {
    var items = claimItems();
    if (!items.length) {
      announce("No claims in the text yet.");
      return;
    }
    current = (current + step + items.length) % items.length;
    items.forEach(function (item) { item.classList.remove("is-current"); });
    var item = items[current];
    item.classList.add("is-current");
    item.setAttribute("tabindex", "-1");
    item.focus();
    item.scrollIntoView({ block: "nearest" });
    if (body) {
      body.setSelectionRange(Number(item.dataset.start), Number(item.dataset.end));
    }
  }

  function schedule(ms) {
    clearTimeout(timer);
    var inner = panel.querySelector(".claims-panel");
    var wait = ms || (inner ? Number(inner.dataset.pollMs) : 0) || 20000;
    timer = setTimeout(refresh, wait);
  }

  function refresh() {
    if (document.hidden) {  // nobody is looking: ask again later
      schedule();
      return;
    }
    fetch(panel.dataset.panelUrl, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        if (html.trim() !== panel.innerHTML.trim()) {
          var focused = document.activeElement;
          var claim = focused && panel.contains(focused) && focused.closest("[data-claim]");
          var before = panel.querySelector(".claims-panel");
          panel.innerHTML = html;
          var after = panel.querySelector(".claims-panel");
          if (!before || before.dataset.status !== after.dataset.status) {
            announce(after.dataset.status);
          }
          if (claim) {
            var again = panel.querySelector('[data-claim="' + claim.dataset.claim + '"]');
            if (again) {
              again.setAttribute("tabindex", "-1");
              again.focus();
            }
          }
        }
        schedule();
      })
      .catch(function () { schedule(5000); });
  }

  function openClaim(url, opener) {
    fetch(url + "?fragment=1", { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        dialog.querySelector("[data-dialog-body]").innerHTML = html;
        dialog.opener = opener;
        dialog.showModal();
        var first = dialog.querySelector("select, input:not([type=hidden])");
        if (first) {
          first.focus();
        }
      });
  }

  function submitClaim(event) {
    var claimForm = event.target;
    event.preventDefault();
    var data = new FormData(claimForm);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    fetch(claimForm.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (type.indexOf("json") !== -1) {
          return response.json().then(function (result) {
            dialog.close();
            announce(result.done);
            refresh();
          });
        }
        return response.text().then(function (html) {
          dialog.querySelector("[data-dialog-body]").innerHTML = html;
          var error = dialog.querySelector(".errornote, .errorlist");
          if (error) {
            error.setAttribute("tabindex", "-1");
            error.focus();
          }
        });
      });
  }

  if (panel) {
    schedule();
    panel.addEventListener("click", function (event) {
      var link = event.target.closest("a.claim-edit");
      if (link && dialog && dialog.showModal) {
        event.preventDefault();
        openClaim(link.href, link);
      }
    });
  }
  if (dialog) {
    dialog.addEventListener("submit", submitClaim);
    dialog.addEventListener("click", function (event) {
      if (event.target.closest("[data-close-dialog]")) {
        dialog.close();
      }
    });
    dialog.addEventListener("close", function () {
      var opener = dialog.opener;
      var target = opener && document.contains(opener) ? opener : null;
      if (!target && opener) {
        var claim = opener.closest("[data-claim]");
        target = claim && panel.querySelector('[data-claim="' + claim.dataset.claim + '"] a');
      }
      if (target) {
        target.focus();
      }
    });
  }

  // What the edit would do to checked claims, said before the save.
  var reopens = document.getElementById("body-reopens");
  var previewTimer = null;
  function preview() {
    var data = new FormData();
    data.append("body", body.value);
    data.append("csrfmiddlewaretoken", csrfToken());
    fetch(reopens.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        reopens.textContent = "";
        if (!result.warnings.length) {
          return;
        }
        var list = document.createElement("ul");
        result.warnings.forEach(function (warning) {
          var item = document.createElement("li");
          item.textContent = warning.message;
          list.appendChild(item);
        });
        reopens.appendChild(list);
      })
      .catch(function () { /* offline: the save still says what it did */ });
  }
  if (body && reopens && reopens.dataset.previewUrl) {
    body.addEventListener("input", function () {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(preview, 600);
    });
  }

  // Bylines: one more box, in order.
  document.querySelectorAll("[data-byline-picker]").forEach(function (picker) {
    var list = picker.querySelector("ol");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button byline-add";
    add.textContent = "Add a byline";
    add.addEventListener("click", function () {
      var boxes = list.querySelectorAll("input");
      var last = boxes[boxes.length - 1];
      var box = last.cloneNode(false);
      box.value = "";
      box.id = boxes[0].id + "_" + boxes.length;
      box.setAttribute("aria-label", "Byline " + (boxes.length + 1));
      var item = document.createElement("li");
      item.appendChild(box);
      list.appendChild(item);
      box.focus();
    });
    picker.appendChild(add);
  });

  document.addEventListener("keydown", function (event) {
    var key = event.key ? event.key.toLowerCase() : "";
    if ((event.ctrlKey || event.metaKey) && !event.altKey && key === "s") {
      event.preventDefault();
      save();
    } else if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyN") {
      event.preventDefault();
      goToClaim(event.shiftKey ? -1 : 1);
    }
  });
})();
