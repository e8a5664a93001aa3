// StrikeWatch map page: plain JavaScript and SVG, no framework, nothing fetched from outside.
// Data: /api/events (the list), /api/events.geojson (the markers), /api/events/{id} (the panel),
// /api/alerts/stream (live updates). Text from events is only ever set with textContent.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 1000, HEIGHT = 640;
  // The view always shows Ukraine and its neighbours; it widens to take in every event on the map.
  const HOME = { west: 21.5, east: 41.5, south: 43.8, north: 53.6 };
  const LIST_LIMIT = 200, MAP_LIMIT = 1000;
  const QUALIFIER = { exact: "", at_least: "\u2265", more_than: ">", about: "~", vague: "\u2265" };

  const $ = (id) => document.getElementById(id);
  const state = {
    filters: new URLSearchParams(),
    selected: null,
    nextCursor: null,
    topology: null,
    features: [],
    fresh: new Set(),
    refreshTimer: null,
  };

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function figure(f, word) {
    if (!f || f.value === null || f.value === undefined) return word + " ?";
    const value = typeof f === "object" ? f.value : f;
    return word + " " + (QUALIFIER[f.qualifier] || "") + value;
  }

  function place(e) {
    return [e.settlement, e.admin1, e.country].filter(Boolean).join(", ") || "unknown place";
  }

  function attackerClass(a) {
    return a === "RU" || a === "UA" ? a : "unknown";
  }

  function radius(killed) {
    return Math.min(40, 5 + 2.6 * Math.sqrt(Math.max(0, killed || 0)));
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const what = body.parameter ? body.parameter + ": " : "";
      throw new Error(what + (body.message || response.status + " " + response.statusText));
    }
    return body;
  }

  function showError(message) {
    const box = $("error");
    box.hidden = !message;
    box.textContent = message || "";
  }

  // ------------------------------------------------------------------ the projection

  // Equirectangular, scaled by the cosine of the middle latitude so that shapes look right at these
  // latitudes, fitted to the view box with a margin.
  let projection = null;

  function fit(bounds) {
    const mid = ((bounds.south + bounds.north) / 2) * Math.PI / 180;
    const kx = Math.cos(mid);
    const spanX = (bounds.east - bounds.west) * kx, spanY = bounds.north - bounds.south;
    const scale = Math.min(WIDTH / spanX, HEIGHT / spanY);
    const offX = (WIDTH - spanX * scale) / 2, offY = (HEIGHT - spanY * scale) / 2;
    projection = {
      bounds,
      point: (lon, lat) => [offX + (lon - bounds.west) * kx * scale, offY + (bounds.north - lat) * scale],
      visible: (w, s, e, n) => e >= bounds.west - 5 && w <= bounds.east + 5 && n >= bounds.south - 5 && s <= bounds.north + 5,
    };
  }

  function viewFor(features) {
    const b = { ...HOME };
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      b.west = Math.min(b.west, lon - 1); b.east = Math.max(b.east, lon + 1);
      b.south = Math.min(b.south, lat - 0.7); b.north = Math.max(b.north, lat + 0.7);
    }
    return b;
  }

  function sameBounds(a, b) {
    return a && b && a.west === b.west && a.east === b.east && a.south === b.south && a.north === b.north;
  }

  // ------------------------------------------------------------------ drawing

  function drawCountries() {
    const group = $("countries");
    group.replaceChildren();
    if (!state.topology || !window.topojson) return;
    const countries = window.topojson.feature(state.topology, state.topology.objects.countries).features;
    for (const country of countries) {
      const g = country.geometry;
      if (!g) continue;
      const polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
      let d = "";
      for (const polygon of polygons) {
        for (const ring of polygon) {
          let w = 180, s = 90, e = -180, n = -90;
          for (const [lon, lat] of ring) {
            if (lon < w) w = lon; if (lon > e) e = lon; if (lat < s) s = lat; if (lat > n) n = lat;
          }
          if (!projection.visible(w, s, e, n)) continue;
          d += ring.map(([lon, lat], i) => {
            const [x, y] = projection.point(lon, lat);
            return (i ? "L" : "M") + x.toFixed(1) + "," + y.toFixed(1);
          }).join("") + "Z";
        }
      }
      if (!d) continue;
      const name = (country.properties && country.properties.name) || "";
      const path = svg("path", { d, class: "country" + (name === "Ukraine" ? " focus" : "") });
      const title = svg("title", {});
      title.textContent = name;
      path.append(title);
      group.append(path);
    }
  }

  function drawMarkers() {
    const bounds = viewFor(state.features);
    if (!sameBounds(bounds, projection && projection.bounds)) {
      fit(bounds);
      drawCountries();
    }
    const group = $("markers");
    group.replaceChildren();
    // Large circles first, so that small ones stay clickable on top.
    const features = [...state.features].sort((a, b) => (b.properties.killed || 0) - (a.properties.killed || 0));
    for (const f of features) {
      const p = f.properties;
      const [x, y] = projection.point(f.geometry.coordinates[0], f.geometry.coordinates[1]);
      const classes = ["marker", attackerClass(p.attacker)];
      if (p.event_id === state.selected) classes.push("selected");
      if (state.fresh.has(p.event_id)) classes.push("fresh");
      const circle = svg("circle", {
        cx: x.toFixed(1), cy: y.toFixed(1), r: radius(p.killed).toFixed(1), class: classes.join(" "),
        "data-event-id": p.event_id, "data-killed": p.killed === null ? "" : String(p.killed),
        "data-version": String(p.version), tabindex: "0",
      });
      const title = svg("title", {});
      title.textContent = place(p) + " \u00b7 " + (p.date || "date ?") + " \u00b7 " +
        figure({ value: p.killed, qualifier: p.killed_qualifier }, "killed") + " \u00b7 " +
        figure({ value: p.injured, qualifier: p.injured_qualifier }, "injured");
      circle.append(title);
      circle.addEventListener("click", () => select(p.event_id));
      group.append(circle);
    }
    $("map-note").textContent = state.features.length + " located event" + (state.features.length === 1 ? "" : "s") + " on the map";
  }

  function row(e) {
    const classes = ["event-row"];
    if (e.event_id === state.selected) classes.push("selected");
    if (state.fresh.has(e.event_id)) classes.push("fresh");
    const li = el("li", { class: classes.join(" "), "data-event-id": e.event_id, "data-version": String(e.version), tabindex: "0" },
      el("i", { class: "dot " + attackerClass(e.attacker) }),
      el("span", { class: "place" }, place(e)),
      el("span", { class: "toll" }, figure(e.killed, "killed")),
      el("span", { class: "meta" },
        [e.date || "date ?", e.time_of_day, (e.weapons || []).filter((w) => w !== "unknown").join(", ") || null,
          figure(e.injured, "injured"), e.source_count + " source" + (e.source_count === 1 ? "" : "s"),
          "attacker " + e.attacker].filter(Boolean).join(" \u00b7 ")));
    li.addEventListener("click", () => select(e.event_id));
    li.addEventListener("keydown", (ev) => { if (ev.key === "Enter") select(e.event_id); });
    return li;
  }

  // ------------------------------------------------------------------ loading

  function query(extra) {
    const params = new URLSearchParams(state.filters);
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params.toString();
  }

  async function refresh() {
    try {
      const [list, geo] = await Promise.all([
        getJSON("/api/events?" + query({ limit: LIST_LIMIT })),
        getJSON("/api/events.geojson?" + query({ limit: MAP_LIMIT })),
      ]);
      showError(null);
      state.features = geo.features;
      state.nextCursor = list.next_cursor;
      $("event-list").replaceChildren(...list.events.map(row));
      $("more").hidden = !list.next_cursor;
      $("count").textContent = list.events.length
        ? list.events.length + (list.next_cursor ? "+" : "") + " event" + (list.events.length === 1 && !list.next_cursor ? "" : "s") + ", newest strike first"
        : "no events match";
      drawMarkers();
    } catch (err) {
      showError(String(err.message || err));
    }
  }

  async function more() {
    if (!state.nextCursor) return;
    try {
      const list = await getJSON("/api/events?" + query({ limit: LIST_LIMIT, cursor: state.nextCursor }));
      state.nextCursor = list.next_cursor;
      $("event-list").append(...list.events.map(row));
      $("more").hidden = !list.next_cursor;
    } catch (err) {
      showError(String(err.message || err));
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, 200);
  }

  // ------------------------------------------------------------------ the event panel

  async function select(eventId) {
    state.selected = eventId;
    for (const node of document.querySelectorAll(".event-row, .marker")) {
      node.classList.toggle("selected", eventId !== null && node.dataset.eventId === eventId);
    }
    if (eventId === null) {
      $("panel").hidden = true;
      return;
    }
    await showPanel(eventId);
  }

  async function showPanel(eventId) {
    let e;
    try {
      e = await getJSON("/api/events/" + encodeURIComponent(eventId));
    } catch (err) {
      showError(String(err.message || err));
      return;
    }
    if (state.selected !== eventId) return;
    const body = $("panel-body");
    const facts = el("dl", {},
      el("dt", {}, "date"), el("dd", {}, (e.date || "unknown") + (e.time_of_day ? " (" + e.time_of_day + ")" : "")),
      el("dt", {}, "attacker"), el("dd", {}, e.attacker + (e.attribution ? " (" + e.attribution + ")" : "")),
      el("dt", {}, "weapons"), el("dd", {}, (e.weapons || []).join(", ") || "unknown"),
      el("dt", {}, "targets"), el("dd", {}, (e.targets || []).join(", ") || "unknown"),
      el("dt", {}, "toll"), el("dd", { class: "panel-toll" }, figure(e.killed, "killed") + ", " + figure(e.injured, "injured")),
      el("dt", {}, "reports"), el("dd", {}, e.source_count + " (first seen " + e.first_seen + ", updated " + e.last_updated + ")"),
      el("dt", {}, "event"), el("dd", {}, e.event_id + " v" + e.version));
    const sources = (e.sources || []).map((s) => {
      const url = safeUrl(s.url);
      return el("div", { class: "source" },
        el("div", { class: "where" },
          url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, s.outlet || url) : (s.outlet || s.article_id),
          s.published_at ? " \u00b7 " + s.published_at : ""),
        el("blockquote", {}, s.evidence));
    });
    const history = el("table", { class: "history" },
      el("thead", {}, el("tr", {}, el("th", {}, "version"), el("th", {}, "updated"), el("th", {}, "killed"),
        el("th", {}, "injured"), el("th", {}, "reports"))),
      el("tbody", {}, ...(e.history || []).map((h) => el("tr", {},
        el("td", {}, "v" + h.version), el("td", {}, h.last_updated), el("td", {}, figure(h.killed, "").trim()),
        el("td", {}, figure(h.injured, "").trim()), el("td", {}, h.source_count)))));
    const alerts = el("ul", {}, ...(e.alerts || []).map((a) =>
      el("li", {}, el("b", {}, a.kind.replace("_", " ")), " v" + a.version + " " + a.created_at +
        (a.changes && a.changes.length ? ": " + a.changes.join("; ") : ""))));
    body.replaceChildren(
      el("h2", {}, place(e)), facts,
      el("h3", {}, "Sources and what they said"), ...sources,
      el("h3", {}, "Toll history"), history,
      (e.alerts || []).length ? el("h3", {}, "Alerts") : null, (e.alerts || []).length ? alerts : null);
    body.dataset.eventId = e.event_id;
    body.dataset.version = String(e.version);
    const wasHidden = $("panel").hidden;
    $("panel").hidden = false;
    if (wasHidden) $("panel").scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // ------------------------------------------------------------------ live updates

  function connect() {
    if (!window.EventSource) return;
    const source = new EventSource("/api/alerts/stream");
    source.addEventListener("open", () => { $("status").textContent = "live"; $("status").className = "status live"; });
    source.addEventListener("error", () => { $("status").textContent = "reconnecting"; $("status").className = "status connecting"; });
    source.addEventListener("alert", (message) => {
      let alert;
      try { alert = JSON.parse(message.data); } catch (err) { return; }
      const kind = { new_strike: "NEW STRIKE", casualties_rose: "TOLL RISE", details_added: "DETAILS" }[alert.kind] || alert.kind;
      const item = el("li", { "data-event-id": alert.event_id },
        el("span", { class: "kind" }, kind), place(alert) + " \u00b7 " + (alert.date || "date ?") + " \u00b7 " +
        figure(alert.killed, "killed") + " \u00b7 " + figure(alert.injured, "injured") +
        (alert.changes && alert.changes.length ? " \u00b7 " + alert.changes.join("; ") : ""));
      item.addEventListener("click", () => select(alert.event_id));
      const feed = $("feed");
      const waiting = $("feed-empty");
      if (waiting) waiting.remove();
      feed.prepend(item);
      while (feed.children.length > 20) feed.lastChild.remove();
      state.fresh.add(alert.event_id);
      setTimeout(() => state.fresh.delete(alert.event_id), 3000);
      scheduleRefresh();
      if (state.selected === alert.event_id) showPanel(alert.event_id);
    });
  }

  // ------------------------------------------------------------------ filters

  function readForm() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData($("filters")).entries()) {
      if (String(v).trim() !== "") params.set(k, String(v).trim());
    }
    return params;
  }

  function writeForm(params) {
    for (const field of $("filters").elements) {
      if (field.name) field.value = params.get(field.name) || "";
    }
  }

  function applyFilters(params) {
    state.filters = params;
    const search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
    refresh();
  }

  async function main() {
    const initial = new URLSearchParams(location.search);
    writeForm(initial);
    state.filters = readForm();
    $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); applyFilters(readForm()); });
    $("reset").addEventListener("click", () => setTimeout(() => applyFilters(new URLSearchParams()), 0));
    $("more").addEventListener("click", more);
    $("close-panel").addEventListener("click", () => select(null));
    fit(HOME);
    connect();
    const loadingMap = getJSON("/static/vendor/countries-50m.json").then((topology) => {
      state.topology = topology;
      drawCountries();
    }).catch((err) => showError("country outlines: " + (err.message || err)));
    await refresh();
    await loadingMap;
    document.body.dataset.loaded = "true";
  }

  main();
})();
