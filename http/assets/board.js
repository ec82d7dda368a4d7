// Live board: re-render the live part on every server event (Server-Sent
// Events from /api/v1/events) and every 15 s, so elapsed times and
// countdowns stay current without reloading the page.
(function () {
  var live = document.getElementById("live");
  var dot = document.getElementById("live-dot");
  if (!live) return;
  var src = live.getAttribute("data-src");
  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    fetch(src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { if (r.status === 401) { location.href = "/login"; } return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { live.innerHTML = html; live.setAttribute("data-updated", String(Date.now())); } })
      .finally(function () { pending = false; });
  }
  var es = new EventSource("/api/v1/events");
  es.onopen = function () { dot.classList.add("on"); dot.title = "live"; };
  es.onerror = function () { dot.classList.remove("on"); dot.title = "reconnecting"; };
  es.onmessage = refresh;
  ["incident.create", "incident.decide", "incident.ratify", "incident.rescind", "incident.assign", "incident.release",
   "incident.stand_down", "incident.self_deploy", "unit.status", "roster.assign", "roster.unassign", "patrol.check_in", "alert",
   "incident.discharge", "incident.iopc_referral", "incident.sign_off"]
    .forEach(function (k) { es.addEventListener(k, refresh); });
  setInterval(refresh, 15000);
})();
