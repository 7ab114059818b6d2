// eventline dashboard: the alerts panel and the live stream (server-sent events).
// Alerts come newest first from /api/alerts; /api/stream pushes each new alert and the
// events new documents brought, so the page follows a running `eventline watch`.
// Data is written as text nodes only, as in app.js.
"use strict";

(function () {
  const shown = new Set();
  let reloadTimer = null;

  function text(tag, className, value) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value === null || value === undefined ? "" : String(value);
    return node;
  }

  function alertItem(alert, fresh) {
    const item = document.createElement("li");
    item.dataset.alertId = alert.id;
    if (fresh) item.className = "fresh";
    const when = (alert.fired_at || "").replace("T", " ").slice(0, 19);
    item.append(text("span", "when", when), text("span", "rule", alert.rule), text("span", "summary", alert.summary));
    const evidence = document.createElement("div");
    evidence.className = "evidence";
    (alert.event_ids || []).slice(0, 12).forEach((eventId, index) => {
      const button = text("button", "", "event " + (index + 1));
      button.type = "button";
      button.title = eventId;
      button.addEventListener("click", () => window.eventline && window.eventline.showDetail(eventId));
      evidence.append(button);
    });
    if ((alert.event_ids || []).length > 12) evidence.append(text("span", "hint", " and " + (alert.event_ids.length - 12) + " more"));
    item.append(evidence);
    return item;
  }

  function addAlert(alert, fresh) {
    if (!alert || !alert.id || shown.has(alert.id)) return;
    shown.add(alert.id);
    const list = document.getElementById("alerts");
    const item = alertItem(alert, fresh);
    if (fresh) list.prepend(item);
    else list.append(item);
    document.getElementById("alerts-empty").hidden = true;
  }

  async function loadAlerts() {
    const response = await fetch("api/alerts?limit=100");
    const body = await response.json();
    if (!response.ok || body.ok === false) return;
    body.data.forEach((alert) => addAlert(alert, false));
  }

  function follow() {
    if (!window.EventSource) return;
    const live = document.getElementById("alerts-live");
    const source = new EventSource("api/stream");
    source.addEventListener("open", () => { live.textContent = "live"; });
    source.addEventListener("error", () => { live.textContent = "reconnecting…"; });
    source.addEventListener("alert", (message) => addAlert(JSON.parse(message.data), true));
    source.addEventListener("events", () => {
      // many documents arrive in a burst: reload the map and tables once it settles
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => window.eventline && window.eventline.refresh(), 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    follow(); // first: an alert fired while the list loads then comes by the stream
    loadAlerts().catch(() => {});
  });
})();
