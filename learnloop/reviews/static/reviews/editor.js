// Review editor: autosave in the background, "add a row" buttons, local times.
// Everything also works without JavaScript: the form posts normally and the server answers a
// page (the conflict view when somebody else saved first).
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function localTimes() {
    document.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.textContent = when.toLocaleString(undefined, {
          weekday: "long", year: "numeric", month: "long", day: "numeric",
          hour: "2-digit", minute: "2-digit", timeZoneName: "short"
        });
      }
    });
  }

  function addRows(form) {
    form.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () {
        var rows = button.parentElement.querySelector("[data-rows]");
        var all = rows.querySelectorAll("[data-row]");
        var last = all[all.length - 1];
        if (!last) { return; }
        var copy = last.cloneNode(true);
        copy.querySelectorAll("input, textarea, select").forEach(function (field) {
          if (field.type === "hidden") { field.value = ""; return; }
          if (field.tagName === "SELECT") { field.selectedIndex = field.name.endsWith("-kind") ? 0 : 0; return; }
          field.value = "";
          field.removeAttribute("aria-invalid");
        });
        copy.querySelectorAll(".errorlist").forEach(function (e) { e.remove(); });
        rows.appendChild(copy);
        var first = copy.querySelector("textarea, input:not([type=hidden]), select");
        if (first) { first.focus(); }
      });
    });
  }

  function autosave(form) {
    var status = document.getElementById("autosave-status");
    var version = form.querySelector("[data-version]");
    var timer = null;
    var inFlight = false;
    var stopped = false;

    function say(text) { if (status) { status.textContent = text; } }

    function save() {
      if (stopped) { return; }
      if (inFlight) { schedule(); return; }
      inFlight = true;
      say("Saving…");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Autosave": "1", "X-CSRFToken": csrf() }
      }).then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (result) {
        inFlight = false;
        if (result.status === 200) {
          version.value = result.data.version;
          say("Saved version " + result.data.version + " at " + result.data.saved_at + ".");
        } else if (result.status === 409) {
          stopped = true;
          say("Someone else saved a newer version. Your changes are still here: press Save to compare both versions.");
        } else {
          var msg = (result.data.error && result.data.error.message) || "Not saved.";
          say("Not saved automatically: " + msg + " Press Save to see what to fix.");
        }
      }).catch(function () {
        inFlight = false;
        say("Not saved: the connection failed. Your text is still here; try Save.");
      });
    }

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 2000);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () { stopped = true; if (timer) { clearTimeout(timer); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    var form = document.getElementById("review-editor");
    if (form) {
      addRows(form);
      if (form.dataset.autosave === "1" && !document.getElementById("conflict")) { autosave(form); }
    }
  });
})();
