// Blame coach hints while typing, for every textarea[data-coach] (or input[data-coach]) and
// every textarea inside an element with data-coach-scope (data-coach-scope="statement context"
// limits it to the fields with those names, text inputs included). Checks run in the background ~600 ms after typing stops;
// typing is never blocked and stale answers are dropped. The hints sit in an aria-live region
// right under the field. Flags are kept (and can be resolved or dismissed with a reason) when an
// ancestor has data-coach-target="review:12" (or lesson:/incident:); otherwise nothing is kept.
(function () {
  "use strict";

  var DELAY = 600;
  var CANDIDATES = "textarea, input[type=text], input:not([type])";
  // No reason is preselected: a dismissal says why, on purpose (the server refuses none).
  var REASONS = ["Quoting someone", "Not about a person", "Already discussed"];
  var CHECK_URL = "/coach/check";
  var state = new WeakMap();   // textarea -> {box, timer, seq, controller, local}
  var boxes = new WeakSet();   // hint containers we created
  var counter = 0;

  (function loadStyles() {
    var script = document.currentScript;
    if (!script || !script.dataset.css || document.querySelector("link[data-coach-css]")) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script.dataset.css;  // hashed name in production, so the page passes it
    link.setAttribute("data-coach-css", "1");
    document.head.appendChild(link);
  })();

  function coached(node) {
    if (!node || !node.matches || !node.matches(CANDIDATES)) { return false; }
    if (node.hasAttribute("data-coach")) { return true; }
    var scope = node.closest("[data-coach-scope]");
    if (!scope) { return false; }
    var names = (scope.getAttribute("data-coach-scope") || "").split(/\s+/).filter(Boolean);
    return names.length ? names.indexOf(node.name) !== -1 : node.tagName === "TEXTAREA";
  }

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function post(url, body, signal) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
      signal: signal
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  // Offsets from the server are code points; JavaScript strings are UTF-16.
  function cpSlice(text, start, end) {
    return Array.from(text).slice(start, end).join("");
  }

  function fieldKey(ta) {
    if (ta.dataset.coachField) { return ta.dataset.coachField; }
    var name = ta.name || ta.id || "text";
    var scope = ta.form || document;
    var same = Array.prototype.filter.call(scope.querySelectorAll("textarea, input"), function (el) {
      return (el.name || el.id || "text") === name;
    });
    return name + "#" + Math.max(0, same.indexOf(ta));
  }

  function targetOf(ta) {
    var holder = ta.closest("[data-coach-target]");
    return holder ? holder.getAttribute("data-coach-target") : "";
  }

  function get(ta) {
    var s = state.get(ta);
    if (s) { return s; }
    var anchor = ta.parentElement && ta.parentElement.tagName === "LABEL" ? ta.parentElement : ta;
    // In a row laid out as columns (a .grid: category | description), the hints go under the
    // whole row, as wide as it is, not into a squeezed column of their own.
    if (anchor.parentElement && anchor.parentElement.classList.contains("grid")) {
      anchor = anchor.parentElement;
    }
    // A row copied by "Add a row" carries a copy of the previous row's hints: drop it.
    var next = anchor.nextElementSibling;
    while (next && next.classList.contains("coach-hints")) {
      var after = next.nextElementSibling;
      if (boxes.has(next)) { anchor = next; } else { next.remove(); }
      next = after;
    }
    var box = document.createElement("div");
    box.className = "coach-hints";
    box.id = "coach-hints-" + (++counter);
    box.setAttribute("aria-live", "polite");
    box.setAttribute("data-coach-hints", "1");
    anchor.insertAdjacentElement("afterend", box);
    boxes.add(box);
    var described = (ta.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    described.push(box.id);
    ta.setAttribute("aria-describedby", described.join(" "));
    s = { box: box, timer: null, seq: 0, controller: null, local: {} };
    state.set(ta, s);
    return s;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function check(ta) {
    var s = get(ta);
    var text = ta.value;
    var seq = ++s.seq;
    if (s.controller) { s.controller.abort(); }
    s.controller = typeof AbortController === "function" ? new AbortController() : null;
    var body = { text: text, field: fieldKey(ta) };
    var target = targetOf(ta);
    if (target) { body.target = target; }
    post(CHECK_URL, body, s.controller ? s.controller.signal : undefined).then(function (result) {
      if (seq !== s.seq || ta.value !== text) { return; }  // stale: a newer check is coming
      if (!result.ok) {
        var msg = result.data && result.data.error ? result.data.error.message : "";
        render(ta, [], text, msg ? "Wording hints are not available: " + msg : "");
        return;
      }
      render(ta, result.data.findings || [], text, "");
    }).catch(function () { /* aborted or offline: hints are optional */ });
  }

  function schedule(ta) {
    var s = get(ta);
    if (s.timer) { clearTimeout(s.timer); }
    s.timer = setTimeout(function () { s.timer = null; check(ta); }, DELAY);
  }

  function sentenceOf(text, f) { return cpSlice(text, f.sentence_start, f.sentence_end); }

  function render(ta, findings, text, error) {
    var s = get(ta);
    var box = s.box;
    box.textContent = "";
    if (error) { box.appendChild(el("p", { "class": "coach-error" }, error)); return; }
    var open = findings.filter(function (f) {
      if (f.flag && f.flag.status !== "open") { return false; }
      return !s.local[sentenceOf(text, f).trim()];
    });
    if (!open.length) { return; }
    var heading = el("p", { "class": "coach-title" },
      open.length === 1 ? "1 wording hint" : open.length + " wording hints");
    box.appendChild(heading);
    open.forEach(function (f) { box.appendChild(hint(ta, f, text)); });
  }

  function hint(ta, f, text) {
    var wrap = el("div", { "class": "coach-hint", "role": "group", "aria-label": "Wording hint", "data-signal": f.signal });
    var p = el("p");
    p.appendChild(el("q", { "class": "coach-span" }, f.span));
    p.appendChild(document.createTextNode(" " + f.message));
    wrap.appendChild(p);
    // A rewording of the same kind may replace the sentence; a question is only offered.
    var words = f.rewording || "";
    var offered = f.question ? "A question to consider: " + f.question : f.suggestion;
    if (offered) { wrap.appendChild(el("p", { "class": "coach-suggestion" }, offered)); }
    var actions = el("div", { "class": "coach-actions" });
    if (words) {
      var use = el("button", { "type": "button", "class": "secondary outline" }, "Use this wording");
      use.addEventListener("click", function () { useWording(ta, f, text, words, wrap); });
      actions.appendChild(use);
    }
    var resolveBtn = el("button", { "type": "button", "class": "secondary outline" }, "Resolve");
    resolveBtn.addEventListener("click", function () { resolve(ta, f, text, wrap, "marked"); });
    actions.appendChild(resolveBtn);
    var dismissBtn = el("button", { "type": "button", "class": "secondary outline", "aria-expanded": "false" }, "Dismiss…");
    dismissBtn.addEventListener("click", function () {
      var form = wrap.querySelector(".coach-dismiss");
      if (form) { form.remove(); dismissBtn.setAttribute("aria-expanded", "false"); return; }
      dismissBtn.setAttribute("aria-expanded", "true");
      wrap.appendChild(dismissForm(ta, f, text, wrap, dismissBtn));
      wrap.querySelector(".coach-dismiss input").focus();
    });
    actions.appendChild(dismissBtn);
    wrap.appendChild(actions);
    return wrap;
  }

  function dismissForm(ta, f, text, wrap, opener) {
    var n = ++counter;
    var fs = el("fieldset", { "class": "coach-dismiss" });
    fs.appendChild(el("legend", {}, "Why does this hint not apply?"));
    REASONS.concat(["Other"]).forEach(function (reason, i) {
      var id = "coach-reason-" + n + "-" + i;
      var label = el("label", { "for": id });
      var radio = el("input", { "type": "radio", "name": "coach-reason-" + n, "id": id, "value": reason });
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + reason));
      fs.appendChild(label);
    });
    var otherId = "coach-other-" + n;
    var otherLabel = el("label", { "for": otherId }, "Other reason");
    var other = el("input", { "type": "text", "id": otherId, "maxlength": "300" });
    other.addEventListener("input", function () {
      fs.querySelector('input[value="Other"]').checked = true;
    });
    fs.appendChild(otherLabel);
    fs.appendChild(other);
    var confirm = el("button", { "type": "button" }, "Dismiss hint");
    var cancel = el("button", { "type": "button", "class": "secondary outline" }, "Cancel");
    var msg = el("p", { "class": "coach-error", "role": "alert" });
    confirm.addEventListener("click", function () {
      var chosen = fs.querySelector("input[type=radio]:checked");
      var reason = chosen && chosen.value !== "Other" ? chosen.value : other.value.trim();
      if (!reason) {
        msg.textContent = "Choose a reason, or write one.";
        (chosen ? other : fs.querySelector("input[type=radio]")).focus();
        return;
      }
      dismiss(ta, f, text, wrap, reason, msg);
    });
    cancel.addEventListener("click", function () {
      fs.remove();
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    });
    // Enter in the text box confirms instead of submitting the surrounding form.
    other.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); confirm.click(); }
    });
    var row = el("div", { "class": "coach-actions" });
    row.appendChild(confirm);
    row.appendChild(cancel);
    fs.appendChild(row);
    fs.appendChild(msg);
    return fs;
  }

  function done(ta, f, text, wrap, message) {
    var s = get(ta);
    s.local[sentenceOf(text, f).trim()] = true;
    var note = el("p", { "class": "coach-done", "tabindex": "-1" }, message);
    wrap.replaceWith(note);
    note.focus();
  }

  function resolve(ta, f, text, wrap, how, replacement) {
    if (!f.flag) { done(ta, f, text, wrap, "Hint resolved."); return Promise.resolve(true); }
    var body = { how: how, replacement: replacement || "" };
    return post("/coach/flags/" + f.flag.id + "/resolve", body).then(function (r) {
      if (r.ok) { done(ta, f, text, wrap, how === "reworded" ? "Wording replaced; hint resolved." : "Hint resolved."); }
      return r.ok;
    }).catch(function () { return false; });
  }

  function dismiss(ta, f, text, wrap, reason, msg) {
    if (!f.flag) { done(ta, f, text, wrap, "Hint dismissed: " + reason + "."); return; }
    post("/coach/flags/" + f.flag.id + "/dismiss", { reason: reason }).then(function (r) {
      if (r.ok) { done(ta, f, text, wrap, "Hint dismissed: " + reason + "."); return; }
      msg.textContent = (r.data && r.data.error && r.data.error.message) || "Could not dismiss the hint.";
    }).catch(function () { msg.textContent = "Could not dismiss the hint: the connection failed."; });
  }

  function useWording(ta, f, text, words, wrap) {
    if (ta.value !== text) { schedule(ta); return; }  // the text moved on; hints will refresh
    var cps = Array.from(text);
    var sentence = cps.slice(f.sentence_start, f.sentence_end).join("");
    var lead = /^\s*/.exec(sentence)[0];
    var trail = /\s*$/.exec(sentence)[0];
    ta.value = cps.slice(0, f.sentence_start).join("") + lead + words + trail + cps.slice(f.sentence_end).join("");
    // The coach must not flag its own advice: remember the accepted sentences here too.
    words.split(/(?<=[.!?])\s+/).forEach(function (part) { get(ta).local[part.trim()] = true; });
    // Resolve first (it records the accepted wording), then autosave and re-check.
    resolve(ta, f, text, wrap, "reworded", words).then(function () {
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  document.addEventListener("input", function (e) {
    var ta = e.target;
    if (coached(ta)) { schedule(ta); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Check what is already written, one field at a time, so a long review loads quietly.
    var queue = Array.prototype.filter.call(document.querySelectorAll(CANDIDATES), function (ta) {
      return coached(ta) && ta.value.trim() !== "";
    });
    (function next() {
      var ta = queue.shift();
      if (!ta) { return; }
      check(ta);
      setTimeout(next, 150);
    })();
  });
})();
