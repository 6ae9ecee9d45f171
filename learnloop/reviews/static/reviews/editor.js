// Review editor: autosave in the background, rows (add, remove, reorder), local times.
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

  // Rows of list sections: add (from the section's <template>), remove, move up and down.
  // The form posts each column as a list in document order, so moving a row in the page moves
  // it in the review. Numbers in labels and button names follow the order at once.
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function todayIso() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function rowsOf(rows) {
    return Array.prototype.filter.call(rows.children, function (el) { return el.hasAttribute("data-row"); });
  }

  function noun(row) {
    var button = row.querySelector("[data-row-move] .visually-hidden");
    var text = button ? button.textContent.trim() : "row";
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function checkDue(input) {
    var row = input.closest("[data-row]");
    var warning = row && row.querySelector("[data-due-warning]");
    if (!warning) { return; }
    var past = Boolean(input.value) && input.value < todayIso();
    warning.hidden = !past;
    if (past) { input.setAttribute("aria-describedby", warning.id); } else { input.removeAttribute("aria-describedby"); }
  }

  function renumber(rows) {
    rowsOf(rows).forEach(function (row, i) {
      row.querySelectorAll("[data-row-number]").forEach(function (el) { el.textContent = String(i + 1); });
      var warning = row.querySelector("[data-due-warning]");
      if (warning) {
        warning.id = "due-warning-" + rows.getAttribute("data-section") + "-" + (i + 1);
        var due = row.querySelector("[data-due-date]");
        if (due) { checkDue(due); }
      }
    });
  }

  function firstField(row) {
    return row.querySelector("textarea, input:not([type=hidden]), select");
  }

  function rowControls(form) {
    var status = document.getElementById("row-status");
    function say(text) { if (status) { status.textContent = text; } }
    function changed() { form.dispatchEvent(new Event("change", { bubbles: true })); }

    form.querySelectorAll("[data-row-tools]").forEach(function (tools) { tools.hidden = false; });

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !form.contains(button)) { return; }
      if (button.hasAttribute("data-add-row")) {
        var rows = button.parentElement.querySelector("[data-rows]");
        var template = button.parentElement.querySelector("template[data-row-template]");
        if (!rows || !template) { return; }
        var copy = template.content.querySelector("[data-row]").cloneNode(true);
        copy.querySelector("[data-row-tools]").hidden = false;
        rows.appendChild(copy);
        renumber(rows);
        var first = firstField(copy);
        if (first) { first.focus(); }
        say(noun(copy) + " added.");
        return;
      }
      var row = button.closest("[data-row]");
      if (!row) { return; }
      var list = row.parentElement;
      var name = noun(row);
      if (button.hasAttribute("data-row-move")) {
        var up = button.getAttribute("data-row-move") === "up";
        var sibling = up ? row.previousElementSibling : row.nextElementSibling;
        while (sibling && !sibling.hasAttribute("data-row")) {
          sibling = up ? sibling.previousElementSibling : sibling.nextElementSibling;
        }
        if (!sibling) { say(name + " is already " + (up ? "first." : "last.")); return; }
        list.insertBefore(row, up ? sibling : sibling.nextElementSibling);
        renumber(list);
        button.focus();
        say(name + " moved " + (up ? "up" : "down") + ": it is now " + noun(row).toLowerCase() + ".");
        changed();
        return;
      }
      if (button.hasAttribute("data-row-remove")) {
        var all = rowsOf(list);
        if (all.length === 1) {
          // The last row is emptied, not removed, so the section still posts (and saves) empty.
          row.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (f) { f.value = ""; });
          row.querySelectorAll("select").forEach(function (f) { f.selectedIndex = 0; });
          row.querySelectorAll("input[type=hidden]").forEach(function (f) { f.value = ""; });
          renumber(list);
          var field = firstField(row);
          if (field) { field.focus(); }
          say(name + " emptied.");
        } else {
          var index = all.indexOf(row);
          var next = all[index + 1] || all[index - 1];
          row.remove();
          renumber(list);
          var target = firstField(next);
          if (target) { target.focus(); }
          say(name + " removed.");
        }
        changed();
      }
    });

    form.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("[data-due-date]")) { checkDue(event.target); }
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("[data-due-date]")) { checkDue(event.target); }
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
      rowControls(form);
      if (form.dataset.autosave === "1" && !document.getElementById("conflict")) { autosave(form); }
    }
  });
})();
