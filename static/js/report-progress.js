// Refreshes a background report's progress bar until it is ready (the page works without it: "Check again").
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var words = document.getElementById("report-status");
  var link = document.getElementById("report-download");
  function check() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        words.textContent = data.label;
        if (data.download) {
          link.href = data.download;
          link.hidden = false;
          link.focus();
        } else if (data.status !== "failed") {
          window.setTimeout(check, 1500);
        }
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 1000);
})();
