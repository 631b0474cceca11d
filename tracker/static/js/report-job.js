// The report job's page without reloading it: ask the status endpoint every few seconds while the job is queued
// or running, and replace the live region's content only when the state changes, so a screen reader hears each
// change once and focus never moves. Without JavaScript the page's "Refresh" link does the same.
(function () {
  "use strict";
  var region = document.getElementById("job-status");
  if (!region || !window.fetch) { return; }
  var url = region.getAttribute("data-status-url");
  var state = region.getAttribute("data-state");
  var delay = 2000;

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }  // signed out, or the server is restarting: the Refresh link still works
        if (status.state !== state) {
          state = status.state;
          region.setAttribute("data-state", state);
          region.innerHTML = status.html;
        }
        if (status.over) {
          var refresh = document.getElementById("job-refresh");
          if (refresh) { refresh.hidden = true; }
          return;
        }
        delay = Math.min(delay * 1.5, 15000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 15000); });
  }
  window.setTimeout(poll, delay);
}());
