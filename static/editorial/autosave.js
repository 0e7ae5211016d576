// Autosave for the story edit pages: never lose a word.
// Every few seconds after typing, the text fields go to the server's draft
// buffer (articles.drafts), never to a revision. Each keystroke is also kept
// in this browser (localStorage), so text typed offline survives a closed tab
// and is sent once the connection is back. When the page opens with unsaved
// text (from the server or this browser) it offers to restore it.
(function () {
  "use strict";
  var marker = document.querySelector("[data-autosave-url]");
  if (!marker) {
    return;
  }
  var FIELDS = ["headline", "slug", "dek", "body", "dateline", "contributor_credit"];
  var EVERY_MS = 3000;
  var url = marker.getAttribute("data-autosave-url");
  var storageKey = marker.getAttribute("data-autosave-key");
  var status = marker.querySelector("[data-autosave-status]");
  var form = marker.closest("form") || document.getElementById("id_body").form;
  var base = form.querySelector("input[name=base_revision]");
  var dirty = false;
  var sending = false;
  var submitting = false;
  var blockedUntil = 0;

  function field(name) {
    return document.getElementById("id_" + name);
  }
  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }
  function snapshot() {
    var fields = {};
    FIELDS.forEach(function (name) {
      var input = field(name);
      if (input) {
        fields[name] = input.value;
      }
    });
    return {
      fields: fields,
      base_revision: base && base.value ? Number(base.value) : null,
      saved_at: new Date().toISOString(),
    };
  }
  function keepLocally(copy) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(copy));
    } catch (error) { /* storage full or disabled: the server copy remains */ }
  }
  function localCopy() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }
  function forgetLocally() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (error) { /* nothing to forget */ }
  }
  function payload(copy) {
    var data = new FormData();
    Object.keys(copy.fields).forEach(function (name) {
      data.append(name, copy.fields[name]);
    });
    if (copy.base_revision) {
      data.append("base_revision", copy.base_revision);
    }
    return data;
  }
  function time(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function send() {
    if (!dirty || sending || submitting || Date.now() < blockedUntil) {
      return;
    }
    if (!navigator.onLine) {
      say("Offline: your text is kept in this browser and sent when the connection is back.");
      return;
    }
    var copy = snapshot();
    dirty = false;
    sending = true;
    fetch(url, {
      method: "POST",
      body: payload(copy),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    }).then(function (response) {
      if (response.redirected) {  // to the sign-in page: the session ended
        dirty = true;
        say("You are signed out: your text is kept in this browser. Sign in again in another tab and it is sent.");
        return null;
      }
      return response.json().then(function (answer) {
        if (response.ok) {
          say("Unsaved text kept at " + time(answer.saved_at) + ". Save to make it a revision.");
          var local = localCopy();
          if (local && JSON.stringify(local.fields) === JSON.stringify(copy.fields)) {
            forgetLocally();
          }
          return;
        }
        dirty = true;
        if (response.status === 429) {
          blockedUntil = Date.now() + 1000 * Number(response.headers.get("Retry-After") || 30);
        } else if (response.status === 413) {
          blockedUntil = Date.now() + 60000;
        }
        say(answer.error + " It is kept in this browser meanwhile.");
      });
    }).catch(function () {
      dirty = true;
      say("Offline: your text is kept in this browser and sent when the connection is back.");
    }).then(function () {
      sending = false;
    });
  }

  function apply(copy) {
    FIELDS.forEach(function (name) {
      var input = field(name);
      if (input && typeof copy.fields[name] === "string") {
        input.value = copy.fields[name];
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    if (base && copy.base_revision) {
      base.value = copy.base_revision;
    }
  }
  function differsFromPage(copy) {
    return Object.keys(copy.fields).some(function (name) {
      var input = field(name);
      return input && input.value !== copy.fields[name];
    });
  }

  // What to offer back: the newest of the server's copy and this browser's.
  var server = document.getElementById("editorial-draft");
  var offered = server ? JSON.parse(server.textContent) : null;
  var local = localCopy();
  if (local && local.submitted && !offered) {
    // Sent with a save, and the server no longer holds a buffer: it landed.
    forgetLocally();
    local = null;
  }
  if (local && differsFromPage(local) && (!offered || local.saved_at > offered.saved_at)) {
    offered = local;
  } else if (local && !differsFromPage(local)) {
    forgetLocally();
  }
  var restore = marker.querySelector("[data-autosave-restore]");
  if (offered && differsFromPage(offered)) {
    if (!restore) {
      restore = document.createElement("div");
      restore.className = "editorial-restore";
      var note = document.createElement("p");
      note.textContent = "This browser kept unsaved text from " + time(offered.saved_at) + ".";
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-restore-draft", "");
      button.textContent = "Restore unsaved text from " + time(offered.saved_at);
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.setAttribute("data-dismiss-draft", "");
      dismiss.textContent = "Keep the saved version";
      restore.appendChild(note);
      restore.appendChild(button);
      restore.appendChild(dismiss);
      marker.appendChild(restore);
    }
    say("");
    restore.querySelector("[data-restore-draft]").addEventListener("click", function () {
      apply(offered);
      restore.remove();
      dirty = true;
      keepLocally(snapshot());
      say("Unsaved text restored. Save to make it a revision.");
      var body = field("body");
      if (body) {
        body.focus();
      }
    });
    restore.querySelector("[data-dismiss-draft]").addEventListener("click", function () {
      restore.remove();
      say("Your typing is kept as you write.");
    });
  } else if (restore) {
    restore.remove();
  }

  FIELDS.forEach(function (name) {
    var input = field(name);
    if (input) {
      input.addEventListener("input", function (event) {
        if (!event.isTrusted) {
          return;
        }
        dirty = true;
        keepLocally(snapshot());
      });
    }
  });
  form.addEventListener("submit", function () {
    submitting = true;
    var copy = snapshot();
    copy.submitted = true;
    keepLocally(copy);
  });
  window.addEventListener("online", send);
  window.addEventListener("offline", function () {
    say("Offline: your text is kept in this browser and sent when the connection is back.");
  });
  // A tab closed between two sends: the last words go with the page.
  window.addEventListener("pagehide", function () {
    if (dirty && !submitting && navigator.sendBeacon) {
      var data = payload(snapshot());
      data.append("csrfmiddlewaretoken", csrf());
      navigator.sendBeacon(url, data);
    }
  });
  setInterval(send, EVERY_MS);
})();
