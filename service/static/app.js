// 人岗 pages: the only script. It polls a batch's progress and asks before closing a post.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-status-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        var bar = box.querySelector("progress");
        var text = box.querySelector("[data-role=text]");
        if (bar && s.total) { bar.max = s.total; bar.value = s.done; }
        if (text) { text.textContent = s.text; }
        if (s.finished) {
          var link = box.querySelector("[data-role=done]");
          if (link) { link.hidden = false; }
          return;
        }
        window.setTimeout(function () { poll(box); }, 1000);
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 3000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-status-url]");
    for (var i = 0; i < boxes.length; i++) { poll(boxes[i]); }
    var confirms = document.querySelectorAll("form[data-confirm]");
    for (var j = 0; j < confirms.length; j++) {
      confirms[j].addEventListener("submit", function (e) {
        if (!window.confirm(this.getAttribute("data-confirm"))) { e.preventDefault(); }
      });
    }
  });
})();
