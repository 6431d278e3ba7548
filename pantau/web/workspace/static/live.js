// The overview listens to the signed-in user's change stream (/live, filtered by the same rules as
// the API's /api/stream) and asks htmx to refresh the overview fragment: no page reload.
(function () {
  var status = document.getElementById("live-status");
  if (!window.EventSource) { return; }
  var pending = null;
  var src = new EventSource("/live");
  src.addEventListener("open", function () { if (status) { status.textContent = status.dataset.on || "● live"; } });
  src.addEventListener("change", function () {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      document.body.dispatchEvent(new CustomEvent("pantau-change"));
    }, 200);
  });
  src.addEventListener("error", function () { if (status) { status.textContent = "○"; } });
})();
