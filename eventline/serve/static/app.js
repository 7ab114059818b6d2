// eventline dashboard. Plain browser JavaScript, no build step.
// Every value that comes from the data (sentences, names, sources) is written with
// textContent or as a DOM text node, never parsed as HTML: news text may hold markup.
"use strict";

(function () {
  const TYPE_COLOURS = {
    ASSAULT: "#c0392b", COERCE: "#e67e22", MOBILIZE: "#8e5b2f", THREATEN: "#8e44ad",
    PROTEST: "#d4ac0d", SANCTION: "#c2185b", ACCUSE: "#5d6d7e", REJECT: "#34495e",
    REQUEST: "#2e86c1", RETREAT: "#16a085", AID: "#27ae60", COOPERATE: "#229954",
    CONCEDE: "#48c9b0", SUPPORT: "#52be80", CONSULT: "#5dade2", AGREE: "#1abc9c",
  };
  const SIDE_COLOURS = ["#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#e67e22", "#34495e"];
  const PAGE_SIZE = 50;
  const state = { offset: 0, total: 0, filters: {} };
  let map = null;
  let markerLayer = null;

  // ---- small DOM helpers ---------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "className") node.className = value;
      else if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(value) {
    return value === null || value === undefined || value === "" ? "—" : String(value);
  }

  function actorName(actor) {
    if (!actor) return null;
    return actor.name || actor.text || actor.code || actor.country;
  }

  function safeLink(url, label) {
    // only web links: a "javascript:" URL in the data must never become clickable
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, label || url);
    }
    return url ? document.createTextNode(String(url)) : null;
  }

  function setStatus(text) {
    document.getElementById("status").textContent = text;
  }

  // ---- API access ----------------------------------------------------------------------
  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== null && value !== undefined && value !== "") search.set(key, value);
    }
    return search.toString();
  }

  async function api(path, params) {
    const response = await fetch("api/" + path + "?" + query(params || {}));
    const body = await response.json();
    if (!response.ok || body.ok === false) {
      const error = body.error || {};
      throw new Error((error.parameter ? error.parameter + ": " : "") + (error.message || response.statusText));
    }
    return body;
  }

  // ---- map -----------------------------------------------------------------------------
  function assetsMissing() {
    const warning = document.getElementById("assets-warning");
    warning.hidden = false;
    warning.replaceChildren(
      el("strong", {}, "Map libraries are missing. "),
      "The dashboard's vendor files (Leaflet, TopoJSON, world map) are not installed. From the source folder run ",
      el("code", {}, "scripts/build_assets.sh"),
      " (needs node and npm), then reload this page. Tables and the timeline below still work.",
    );
    document.getElementById("map").replaceChildren(
      el("div", { className: "map-message" }, "No map: run scripts/build_assets.sh to install the map libraries."),
    );
  }

  async function initMap() {
    if (!window.L || !window.topojson) {
      assetsMissing();
      return;
    }
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([25, 20], 2);
    map.attributionControl.addAttribution("Natural Earth via world-atlas");
    try {
      const response = await fetch("static/vendor/countries-110m.json");
      if (!response.ok) throw new Error("HTTP " + response.status);
      const topology = await response.json();
      const countries = topojson.feature(topology, topology.objects.countries);
      L.geoJSON(countries, {
        style: { color: "#7d8a96", weight: 0.6, fillColor: "#eceae4", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
    } catch (error) {
      assetsMissing();
    }
    markerLayer = L.layerGroup().addTo(map);
    const legend = document.getElementById("legend");
    for (const [type, colour] of Object.entries(TYPE_COLOURS).slice(0, 8)) {
      const swatch = el("span", { className: "swatch" });
      swatch.style.background = colour;
      legend.append(el("li", {}, swatch, type));
    }
  }

  function popupContent(props) {
    const box = el("div", { className: "popup" });
    const title = [props.event_type, props.mode].filter(Boolean).join(" / ");
    box.append(el("strong", {}, title));
    box.append(el("div", { className: "meta" },
      show(props.date) + " · " + show(actorName({ name: props.actor1_name, text: props.actor1_text })) +
      " → " + show(actorName({ name: props.actor2_name, text: props.actor2_text }))));
    box.append(el("div", { className: "meta" },
      "Place: " + show(props.location_name) + " · Deaths: " + show(props.fatalities)));
    box.append(el("p", { className: "sentence" }, show(props.sentence)));
    box.append(el("div", { className: "meta" }, "Said by: " + show(props.attribution) +
      " · Reports: " + show(props.report_count)));
    box.append(el("button", { type: "button", onclick: () => showDetail(props.id) }, "Details"));
    return box;
  }

  async function loadMarkers() {
    if (!map || !markerLayer) return;
    markerLayer.clearLayers();
    const body = await fetch("api/events?" + query({ ...state.filters, format: "geojson", limit: 1000, sort: "-date" }));
    const collection = await body.json();
    if (!body.ok) throw new Error((collection.error || {}).message || "map query failed");
    const bounds = [];
    for (const feature of collection.features) {
      const [lon, lat] = feature.geometry.coordinates;
      const props = feature.properties;
      const colour = TYPE_COLOURS[props.event_type] || "#7f8c8d";
      const radius = 5 + Math.min(10, Math.sqrt(props.fatalities || 0) * 2);
      const marker = L.circleMarker([lat, lon], {
        radius: radius, color: "#222", weight: 1, fillColor: colour, fillOpacity: 0.85,
      });
      marker.bindPopup(() => popupContent(props), { maxWidth: 320 });
      marker.on("click", () => showDetail(props.id));
      marker.addTo(markerLayer);
      bounds.push([lat, lon]);
    }
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 });
    const meta = collection.meta || {};
    const note = [];
    if (meta.next) note.push("The map shows the latest " + meta.count + " of " + meta.total + " matching events; narrow the filters to see the rest.");
    if (meta.unlocated) note.push(meta.unlocated + " event(s) without coordinates are listed below but not mapped.");
    document.getElementById("map-note").textContent = note.join(" ");
  }

  // ---- detail view ---------------------------------------------------------------------
  async function showDetail(eventId) {
    const panel = document.getElementById("detail");
    panel.replaceChildren(el("h2", {}, "Event"), el("p", { className: "hint" }, "Loading…"));
    let body;
    try {
      body = await api("events/" + encodeURIComponent(eventId));
    } catch (error) {
      panel.replaceChildren(el("h2", {}, "Event"), el("p", { className: "hint" }, error.message));
      return;
    }
    const event = body.data.event;
    const place = event.location || {};
    const facts = el("dl", {});
    const rows = [
      ["Type", [event.event_type, event.mode].filter(Boolean).join(" / ")],
      ["CAMEO", event.cameo],
      ["ACLED", [event.acled_event_type, event.acled_sub_event_type].filter(Boolean).join(": ")],
      ["Date", event.date_end && event.date_end !== event.date ? event.date + " to " + event.date_end : event.date],
      ["When (text)", event.date_text],
      ["Actor 1", actorName(event.actor1)],
      ["Actor 2", actorName(event.actor2)],
      ["Place", [place.name || place.text, place.country].filter(Boolean).join(", ")],
      ["Deaths", event.fatalities_max && event.fatalities_max !== event.fatalities
        ? show(event.fatalities) + " to " + event.fatalities_max : event.fatalities],
      ["Said by", event.attribution],
      ["Reports", event.report_count],
      ["Id", event.id],
    ];
    for (const [label, value] of rows) facts.append(el("dt", {}, label), el("dd", {}, show(value)));
    const reports = el("div", { className: "reports" });
    for (const report of body.data.reports) {
      const source = el("div", { className: "source" },
        show(report.title || report.source) + " · published " + show(report.published) + " · said by " + show(report.attribution));
      const link = safeLink(report.url);
      if (link) source.append(" · ", link);
      reports.append(el("div", { className: "report" }, source,
        el("blockquote", { className: "evidence" }, show(report.sentence))));
    }
    panel.replaceChildren(
      el("h2", {}, "Event"),
      facts,
      el("h3", {}, "Evidence (" + body.data.reports.length + " report" + (body.data.reports.length === 1 ? "" : "s") + ")"),
      el("blockquote", { className: "evidence" }, show(event.sentence)),
      reports,
    );
  }

  // ---- event list ----------------------------------------------------------------------
  async function loadEvents() {
    const body = await api("events", { ...state.filters, limit: PAGE_SIZE, offset: state.offset, sort: "-date" });
    state.total = body.meta.total;
    const tbody = document.querySelector("#events tbody");
    tbody.replaceChildren();
    for (const event of body.data) {
      const place = event.location || {};
      const row = el("tr", { "data-id": event.id, onclick: () => showDetail(event.id) },
        el("td", {}, show(event.date)), el("td", {}, show(event.event_type)), el("td", {}, show(event.mode)),
        el("td", {}, show(actorName(event.actor1))), el("td", {}, show(actorName(event.actor2))),
        el("td", {}, show(place.name || place.text)), el("td", {}, show(event.fatalities)),
        el("td", {}, show(event.report_count)));
      tbody.append(row);
    }
    const last = Math.min(state.offset + body.data.length, state.total);
    document.getElementById("page-info").textContent =
      state.total ? (state.offset + 1) + "–" + last + " of " + state.total : "no events match";
    document.getElementById("prev").disabled = state.offset === 0;
    document.getElementById("next").disabled = !body.meta.next;
    setStatus(state.total + " events");
  }

  // ---- timeline ------------------------------------------------------------------------
  function everyWeek(first, last) {
    const weeks = [];
    const end = Date.parse(last + "T00:00:00Z");
    for (let t = Date.parse(first + "T00:00:00Z"); t <= end && weeks.length < 1500; t += 7 * 86400000) {
      weeks.push(new Date(t).toISOString().slice(0, 10));
    }
    return weeks;
  }

  async function loadTimeline() {
    const body = await api("timeline", { ...state.filters, interval: "week", side: "country" });
    const data = body.data;
    const holder = document.getElementById("timeline");
    const present = [...new Set(data.buckets.map((b) => b.period))].sort();
    // every week between the first and the last, so quiet weeks show as zero, not as gaps
    const periods = present.length ? everyWeek(present[0], present[present.length - 1]) : [];
    if (!periods.length) {
      holder.replaceChildren(el("p", { className: "hint" }, "No dated events to draw."));
      return;
    }
    const sides = data.sides.slice(0, SIDE_COLOURS.length);
    const counts = new Map();
    for (const bucket of data.buckets) {
      const key = bucket.side + "|" + bucket.period;
      counts.set(key, (counts.get(key) || 0) + bucket.events);
    }
    const width = 900, height = 220, left = 36, right = 120, top = 10, bottom = 28;
    const maxCount = Math.max(1, ...counts.values());
    const x = (i) => left + (periods.length === 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (periods.length - 1));
    const y = (v) => top + (height - top - bottom) * (1 - v / maxCount);
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Weekly events by side" });
    chart.append(svg("line", { x1: left, y1: y(0), x2: width - right, y2: y(0), class: "axis" }));
    chart.append(svg("line", { x1: left, y1: top, x2: left, y2: y(0), class: "axis" }));
    chart.append(svg("text", { x: 4, y: top + 10 }, String(maxCount)));
    chart.append(svg("text", { x: 4, y: y(0) }, "0"));
    const step = Math.max(1, Math.ceil(periods.length / 8));
    periods.forEach((period, i) => {
      if (i % step === 0) chart.append(svg("text", { x: x(i) - 28, y: height - 8 }, period));
    });
    sides.forEach((side, s) => {
      const colour = SIDE_COLOURS[s];
      const points = periods.map((period, i) => x(i) + "," + y(counts.get(side + "|" + period) || 0));
      chart.append(svg("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2 }));
      periods.forEach((period, i) => {
        const value = counts.get(side + "|" + period) || 0;
        if (value) {
          const dot = svg("circle", { cx: x(i), cy: y(value), r: 3, fill: colour });
          dot.append(svg("title", {}, side + ", week of " + period + ": " + value));
          chart.append(dot);
        }
      });
      chart.append(svg("rect", { x: width - right + 10, y: top + s * 18, width: 10, height: 10, fill: colour }));
      chart.append(svg("text", { x: width - right + 26, y: top + s * 18 + 9 }, side));
    });
    holder.replaceChildren(chart);
  }

  // ---- dyads and reciprocity -----------------------------------------------------------
  async function loadDyads() {
    const { since, until, country, type, q } = state.filters;
    const body = await api("dyads", { since, until, country, type, q, limit: 10 });
    const tbody = document.querySelector("#dyads tbody");
    tbody.replaceChildren();
    const pending = [];
    for (const dyad of body.data) {
      const lagCell = el("td", {}, "…");
      const escalationCell = el("td", {}, "…");
      tbody.append(el("tr", { onclick: () => filterByActor(dyad.source.key) },
        el("td", {}, show(dyad.source.name) + " (" + dyad.source.key + ")"),
        el("td", {}, show(dyad.target.name) + " (" + dyad.target.key + ")"),
        el("td", {}, String(dyad.events)), el("td", {}, String(dyad.fatalities)),
        el("td", {}, show(dyad.first)), el("td", {}, show(dyad.last)), lagCell, escalationCell));
      pending.push(fillReciprocity(dyad, lagCell, escalationCell, { since, until, country, q }));
    }
    await Promise.all(pending);
  }

  async function fillReciprocity(dyad, lagCell, escalationCell, filters) {
    try {
      const body = await api("reciprocity", { ...filters, a: dyad.source.key, b: dyad.target.key, window: 14 });
      const answer = body.data.b_answers_a;
      lagCell.textContent = answer.matched
        ? show(answer.median_lag_days) + " (" + answer.matched + " of " + answer.actions + " answered)"
        : "no reply within 14 days";
      const who = body.data.escalated_more;
      escalationCell.textContent = who === "a" ? dyad.source.key : who === "b" ? dyad.target.key : "neither";
    } catch (error) {
      lagCell.textContent = "—";
      escalationCell.textContent = error.message;
    }
  }

  function filterByActor(key) {
    const form = document.getElementById("filters");
    form.elements.actor.value = key;
    form.requestSubmit();
  }

  // ---- wiring --------------------------------------------------------------------------
  function readFilters() {
    const form = document.getElementById("filters");
    const filters = {};
    for (const name of ["since", "until", "country", "actor", "type", "q"]) {
      const value = form.elements[name].value.trim();
      if (value) filters[name] = value;
    }
    return filters;
  }

  async function refresh() {
    state.filters = readFilters();
    setStatus("Loading…");
    const tasks = [loadEvents(), loadMarkers(), loadTimeline(), loadDyads()];
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) setStatus("Error: " + failed.reason.message);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const form = document.getElementById("filters");
    form.addEventListener("submit", (event) => { event.preventDefault(); state.offset = 0; refresh(); });
    form.addEventListener("reset", () => setTimeout(() => { state.offset = 0; refresh(); }, 0));
    document.getElementById("prev").addEventListener("click", () => {
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      loadEvents().catch((error) => setStatus("Error: " + error.message));
    });
    document.getElementById("next").addEventListener("click", () => {
      state.offset += PAGE_SIZE;
      loadEvents().catch((error) => setStatus("Error: " + error.message));
    });
    await initMap();
    await refresh();
  });
  // for alerts.js: open an alert's evidence, reload after the live stream brings events
  window.eventline = { showDetail, refresh };
})();
