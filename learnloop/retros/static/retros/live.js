// The live retro board (decisions/0163): poll the state endpoint every half second with
// If-None-Match; 304 means nothing changed, 200 brings the board as this person may see it.
// A change is held back while the person is typing or choosing inside the board and applied
// as soon as they leave the field, so nobody loses what they were doing.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var url = board.getAttribute("data-state-url");
  var etag = board.getAttribute("data-etag") || "";
  var pending = null;
  var INTERVAL = 500;  // decisions/0164: half a second, the 304 costs one query

  function busy() {
    var el = document.activeElement;
    return el && board.contains(el) && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) &&
      (el.value !== el.defaultValue || el.tagName === "SELECT");
  }

  function apply(html) {
    board.innerHTML = html;
    if (window.htmx) { window.htmx.process(board); }
    tickTimer();
  }

  function poll() {
    fetch(url, { headers: { "If-None-Match": etag }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag") || etag;
          return response.text().then(function (html) {
            if (busy()) { pending = html; } else { pending = null; apply(html); }
          });
        }
      })
      .catch(function () { /* offline: the next poll catches up */ })
      .then(function () { window.setTimeout(poll, INTERVAL); });
  }

  board.addEventListener("focusout", function () {
    window.setTimeout(function () {
      if (pending && !busy()) { var html = pending; pending = null; apply(html); }
    }, 0);
  });
  // After an HTMX action the answer is the fresh board: remember its version.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var tag = xhr && xhr.getResponseHeader("ETag");
    if (tag) { etag = tag; }
  });

  var timerEnd = null;
  function tickTimer() {
    var el = board.querySelector("[data-ends-in]");
    timerEnd = el ? Date.now() + 1000 * parseInt(el.getAttribute("data-ends-in"), 10) : null;
  }
  window.setInterval(function () {
    var el = board.querySelector("[data-ends-in]");
    if (!el || timerEnd === null) { return; }
    var left = Math.max(0, Math.round((timerEnd - Date.now()) / 1000));
    el.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2) + " left";
  }, 1000);
  tickTimer();
  window.setTimeout(poll, INTERVAL);
}());
