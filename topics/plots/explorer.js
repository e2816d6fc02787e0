/* topics explorer: theme trends, key passages, changes and a topic browser (Plotly.js). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("explorer-data").textContent);
  var T = data.trends;
  var byName = {};
  T.themes.forEach(function (t) { byName[t.name] = t; });
  var state = { period: null, theme: null, shown: {}, topic: 0 };
  T.themes.forEach(function (t) { state.shown[t.name] = T.shown.indexOf(t.name) >= 0; });
  var plotConfig = { displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };

  function node(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function pct(v, digits) {
    return v === null || v === undefined ? "–" : (100 * v).toFixed(digits === undefined ? 2 : digits) + "%";
  }
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  function escapeHover(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function shownThemes() {
    return T.themes.filter(function (t) { return state.shown[t.name]; });
  }
  function index(period) { return T.periods.indexOf(period); }
  function cell(theme, period) { return T.passages[theme + "|" + period] || []; }
  function base(t) { return t.theme || t.name; }  /* a group's or a corrected series' theme */

  /* -- summary, selectors ------------------------------------------------------------- */
  document.getElementById("summary").textContent = T.settings.documents + ", " +
    T.periods.length + " periods (" + T.settings.freq + "), themes measured by " +
    T.settings.method + "." + (T.settings.note ? " " + T.settings.note : "");
  var periodSelect = document.getElementById("period");
  T.periods.forEach(function (p, i) {
    var option = node("option", p + (T.empty[i] ? " (no documents)" : "") + (T.partial[i] ? " (partial)" : ""));
    option.value = p;
    periodSelect.appendChild(option);
  });
  periodSelect.addEventListener("change", function () { select(periodSelect.value, null); });
  var box = document.getElementById("themes");
  T.themes.forEach(function (t) {
    var label = node("label");
    var input = node("input");
    input.type = "checkbox";
    input.checked = state.shown[t.name];
    input.value = t.name;
    input.addEventListener("change", function () {
      state.shown[t.name] = input.checked;
      if (state.theme === t.name && !input.checked) { state.theme = null; }
      drawTrends();
      renderPassages();
    });
    var swatch = node("span", null, "swatch");
    swatch.style.background = t.colour;
    label.appendChild(input);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(t.label));
    box.appendChild(label);
  });

  /* -- trends ------------------------------------------------------------------------- */
  var logScale = document.getElementById("log-scale");
  logScale.addEventListener("change", function () { drawTrends(); });
  function band(t) {
    var x = [], y = [], i = 0, n = T.periods.length;
    while (i < n) {
      if (t.lo[i] === null || t.hi[i] === null) { i += 1; continue; }
      var j = i;
      while (j + 1 < n && t.lo[j + 1] !== null && t.hi[j + 1] !== null) { j += 1; }
      var xs = T.periods.slice(i, j + 1);
      x = x.concat(xs, xs.slice().reverse(), [null]);
      y = y.concat(t.hi.slice(i, j + 1), t.lo.slice(i, j + 1).reverse(), [null]);
      i = j + 1;
    }
    return { type: "scatter", mode: "lines", x: x, y: y, fill: "toself", hoverinfo: "skip",
      fillcolor: rgba(t.colour, 0.15), line: { width: 0 }, showlegend: false, meta: {} };
  }
  function isolated(t) {  /* points between gaps: no band can be drawn around them */
    var n = t.share.length;
    return t.share.map(function (v, i) {
      return v !== null && t.lo[i] !== null && t.hi[i] !== null &&
        (i === 0 || t.share[i - 1] === null) && (i === n - 1 || t.share[i + 1] === null);
    });
  }
  function series(t) {
    var alone = isolated(t);
    var custom = T.periods.map(function (p, i) {
      var first = cell(base(t), p)[0];
      var line = first && first.lines[0] ? "…" + first.lines[0].join("") + "…" : "no passage";
      return [t.lo[i], t.hi[i], t.n_docs[i], escapeHover(line)];
    });
    return { type: "scatter", mode: "lines+markers", name: t.label, x: T.periods, y: t.share,
      line: { color: t.colour, dash: t.dash, width: 2 }, customdata: custom, meta: { theme: t.name },
      error_y: { type: "data", symmetric: false, color: t.colour, thickness: 1.5, width: 4,
        visible: alone.indexOf(true) >= 0,
        array: t.hi.map(function (h, i) { return alone[i] ? h - t.share[i] : null; }),
        arrayminus: t.lo.map(function (l, i) { return alone[i] ? t.share[i] - l : null; }) },
      marker: { color: t.colour, size: 8, line: { color: t.colour, width: 1.5 },
        symbol: t.few.map(function (f) { return f ? t.symbol + "-open" : t.symbol; }) },
      hovertemplate: "<b>" + escapeHover(t.label) + "</b>, %{x}<br>share %{y:.2%} " +
        "(95%: %{customdata[0]:.2%}–%{customdata[1]:.2%}), %{customdata[2]} documents" +
        "<br>%{customdata[3]}<br><i>click for its key passages</i><extra></extra>" };
  }
  function changeTraces(t) {
    var out = [];
    if (t.changes === false) { return out; }  /* the change test ran on the measured shares */
    T.changes.filter(function (c) { return c.theme === t.name; }).forEach(function (c) {
      var i = index(c.date);
      if (i < 0) { return; }
      var y = t.hi[i];
      var text = c.kind + (c.shift > 0 ? " rise " : " fall ") + (c.shift > 0 ? "+" : "") +
        pct(c.shift) + " (" + pct(c.lo) + " to " + pct(c.hi) + "), adjusted p = " + c.p_adj;
      if (c.date_lo && c.date_hi && c.date_lo !== c.date_hi) {
        text += "<br>lies between " + c.date_lo + " and " + c.date_hi + " (95%)";
      }
      if (c.kind === "episode" && c.end) {
        var j = index(c.end);
        y = Math.max.apply(null, t.hi.slice(i, j + 1).filter(function (v) { return v !== null; })) * 1.04;
        out.push({ type: "scatter", mode: "lines", x: [c.date, c.end], y: [y, y], showlegend: false,
          line: { color: t.colour, width: 5 }, hoverinfo: "skip", meta: {} });
      }
      if (c.date_lo && c.date_hi && index(c.date_lo) >= 0 && index(c.date_hi) >= 0) {
        out.push({ type: "scatter", mode: "lines+markers", x: [c.date_lo, c.date_hi],
          y: [y * 0.96, y * 0.96], showlegend: false, hoverinfo: "skip", meta: {},
          line: { color: t.colour, width: 2 }, marker: { symbol: "line-ns-open", size: 8, color: t.colour } });
      }
      out.push({ type: "scatter", mode: "markers", x: [c.date], y: [y], showlegend: false,
        meta: { theme: t.name }, customdata: [[escapeHover(t.label), escapeHover(text)]],
        marker: { symbol: c.shift > 0 ? "triangle-up" : "triangle-down", size: 13,
          color: t.colour, line: { color: "black", width: 1 } },
        hovertemplate: "<b>%{customdata[0]}</b>, %{x}<br>%{customdata[1]}<extra>change</extra>" });
    });
    return out;
  }
  function shapes() {
    var out = [];
    T.partial.forEach(function (partial, i) {
      if (partial) {
        out.push({ type: "rect", xref: "x", yref: "paper", x0: i - 0.5, x1: i + 0.5, y0: 0, y1: 1,
          fillcolor: "rgba(120,120,120,0.15)", line: { width: 0 }, layer: "below",
          /* at the bottom: at the top, Plotly's toolbar covers the label of a last period */
          label: { text: "partial", textposition: "bottom center", font: { size: 11, color: "#555" } } });
      }
    });
    (T.events || []).forEach(function (ev) {
      var at = index(ev.period);
      if (at < 0) { return; }
      out.push({ type: "line", xref: "x", yref: "paper", x0: at - 0.5, x1: at - 0.5, y0: 0, y1: 1,
        line: { color: "#444", width: 1.5, dash: "dash" },
        label: { text: ev.label, textposition: "end", textangle: 0, font: { size: 11, color: "#444" } } });
    });
    var k = index(state.period);
    if (k >= 0) {
      out.push({ type: "rect", xref: "x", yref: "paper", x0: k - 0.5, x1: k + 0.5, y0: 0, y1: 1,
        fillcolor: "rgba(0,114,178,0.06)", line: { color: "#0072B2", width: 1.5 } });
    }
    return out;
  }
  function drawTrends() {
    var traces = [];
    shownThemes().forEach(function (t) { traces.push(band(t)); });
    shownThemes().forEach(function (t) { traces.push(series(t)); });
    shownThemes().forEach(function (t) { traces = traces.concat(changeTraces(t)); });
    // long period labels (weeks: "2022-01-03/2022-01-09") turn and take the room they need;
    // the legend sits above the plot, clear of them
    var layout = { margin: { l: 60, r: 20, t: 10, b: 40 }, height: 460, hovermode: "closest",
      xaxis: { type: "category", categoryorder: "array", categoryarray: T.periods,
        range: [-0.5, T.periods.length - 0.5], title: { text: "period" }, automargin: true },
      yaxis: logScale.checked
        ? { type: "log", tickformat: ".2~%", title: { text: T.settings.yaxis + " (log scale)" } }
        : { tickformat: ".1%", rangemode: "tozero", title: { text: T.settings.yaxis } },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", itemclick: false,
        itemdoubleclick: false },
      shapes: shapes(), font: { family: "DejaVu Sans, Arial, sans-serif", size: 12 } };
    Plotly.react("trend-plot", traces, layout, plotConfig);
  }

  /* -- passages ------------------------------------------------------------------------ */
  function renderPassages() {
    var out = document.getElementById("passages");
    out.textContent = "";
    var i = index(state.period);
    var themes = state.theme ? [byName[state.theme]] : shownThemes();
    document.getElementById("passage-title").textContent = "Key passages — " + state.period +
      (state.theme ? " · " + byName[state.theme].label : "");
    var hint = document.getElementById("passage-hint");
    hint.textContent = "";
    if (state.theme) {
      var all = node("button", "show every selected theme");
      all.id = "show-all";
      all.addEventListener("click", function () { select(state.period, null); });
      hint.appendChild(all);
    } else {
      hint.textContent = "Every selected theme in this period; click a point or a change to focus on one.";
    }
    themes.forEach(function (t) {
      var section = node("div", null, "cell");
      section.setAttribute("data-theme", t.name);
      section.appendChild(node("h3", t.label + ": " + pct(t.share[i]) + " (95%: " + pct(t.lo[i]) +
        "–" + pct(t.hi[i]) + "), " + t.n_docs[i] + " documents"));
      var docs = cell(base(t), state.period);
      if (!docs.length) {
        section.appendChild(node("p", "No document of this period uses the theme's terms.", "note"));
      }
      docs.forEach(function (d) {
        var doc = node("div", null, "doc");
        doc.appendChild(node("div", "document " + d.doc + " · theme share " + pct(d.share, 1), "note"));
        d.lines.forEach(function (line) {
          var row = node("div", null, "line passage");
          row.appendChild(document.createTextNode("…" + line[0]));
          row.appendChild(node("mark", line[1]));
          row.appendChild(document.createTextNode(line[2] + "…"));
          doc.appendChild(row);
        });
        section.appendChild(doc);
      });
      out.appendChild(section);
    });
  }
  function select(period, theme) {
    state.period = period;
    state.theme = theme;
    periodSelect.value = period;
    drawTrends();
    renderPassages();
  }

  /* -- changes ------------------------------------------------------------------------- */
  var body = document.querySelector("#changes tbody");
  T.changes.forEach(function (c) {
    var row = node("tr");
    var where = c.date_lo && c.date_hi ? (c.date_lo === c.date_hi ? c.date_lo : c.date_lo + " – " + c.date_hi) : "";
    [byName[c.theme].label, c.kind, c.date, where, c.end || "", (c.shift > 0 ? "+" : "") + pct(c.shift) +
      " (" + pct(c.lo) + " to " + pct(c.hi) + ")", String(c.p_adj)].forEach(function (v) {
      row.appendChild(node("td", v));
    });
    row.addEventListener("click", function () {
      Array.prototype.forEach.call(body.children, function (r) { r.classList.remove("chosen"); });
      row.classList.add("chosen");
      if (!state.shown[c.theme]) { state.shown[c.theme] = true; box.querySelector("input[value='" + c.theme + "']").checked = true; }
      select(c.date, c.theme);
    });
    body.appendChild(row);
  });
  if (!T.changes.length) {
    var none = node("tr");
    var td = node("td", "No change passes the test.");
    td.colSpan = 7;
    none.appendChild(td);
    body.appendChild(none);
  }
  document.getElementById("change-test").textContent = T.test;

  /* -- events: marked on the time axis; choosing one shows the passages of its period ----- */
  var events = T.events || [];
  document.getElementById("event-section").hidden = !events.length;
  var eventBody = document.querySelector("#events tbody");
  events.forEach(function (ev) {
    ev.rows.forEach(function (r, i) {
      var row = node("tr");
      [i === 0 ? ev.label + " (" + ev.period + ", ±" + ev.window + ")" : "", r.label,
        (r.shift > 0 ? "+" : "") + pct(r.shift) + " (" + pct(r.lo) + " to " + pct(r.hi) + ")",
        String(r.p_adj), r.placebo_p === null ? "–" : String(r.placebo_p),
        r.pretrend ? "already moving" : ""].forEach(function (v) { row.appendChild(node("td", v)); });
      row.addEventListener("click", function () {
        if (!state.shown[r.theme]) { state.shown[r.theme] = true; box.querySelector("input[value='" + r.theme + "']").checked = true; }
        select(ev.period, r.theme);
      });
      eventBody.appendChild(row);
    });
  });

  /* -- topics -------------------------------------------------------------------------- */
  var D = data.topics;
  function ranked(topic, lambda) {
    return topic.terms.map(function (t) { return [t, lambda * t[1] + (1 - lambda) * t[2]]; })
      .sort(function (a, b) { return b[1] - a[1] || (a[0][0] < b[0][0] ? -1 : 1); })
      .slice(0, D.n_show).map(function (pair) { return pair[0]; });
  }
  function drawTopics() {
    var lambda = parseFloat(document.getElementById("lambda").value);
    document.getElementById("lambda-value").textContent = lambda.toFixed(2);
    var topic = D.topics[state.topic];
    var map = { type: "scatter", mode: "markers+text", x: D.topics.map(function (t) { return t.x; }),
      y: D.topics.map(function (t) { return t.y; }), text: D.topics.map(function (t) { return String(t.id); }),
      customdata: D.topics.map(function (t) { return [escapeHover(t.label), t.size]; }),
      hovertemplate: "%{customdata[0]}<br>%{customdata[1]:.1%} of the words<extra></extra>",
      marker: { size: D.topics.map(function (t) { return 14 + 90 * Math.sqrt(t.size || 0); }),
        color: D.topics.map(function (t) { return t.id === state.topic ? "#D55E00" : "rgba(0,114,178,0.35)"; }),
        line: { color: "#333", width: 1 } } };
    Plotly.react("topic-map", [map], { height: 440, margin: { l: 40, r: 10, t: 30, b: 40 },
      title: { text: "Intertopic distance map", font: { size: 13 } }, showlegend: false,
      xaxis: { title: { text: "PC1" }, zeroline: false }, yaxis: { title: { text: "PC2" }, zeroline: false },
      font: { family: "DejaVu Sans, Arial, sans-serif", size: 12 } }, plotConfig);
    var top = ranked(topic, lambda).reverse();
    var terms = top.map(function (t) { return t[0]; });
    var unit = D.counts ? "words" : "share";
    Plotly.react("topic-terms", [
      { type: "bar", orientation: "h", name: "in the whole corpus", y: terms, marker: { color: "#bbbbbb" },
        x: top.map(function (t) { return t[4]; }), hovertemplate: "%{y}: %{x:.4g} " + unit + "<extra>corpus</extra>" },
      { type: "bar", orientation: "h", name: "in this topic (estimated)", y: terms, marker: { color: "#D55E00" },
        x: top.map(function (t) { return t[3]; }), hovertemplate: "%{y}: %{x:.4g} " + unit + "<extra>topic</extra>" }
    ], { barmode: "overlay", height: 440, margin: { l: 130, r: 10, t: 30, b: 40 },
      title: { text: "Top terms at λ = " + lambda.toFixed(2), font: { size: 13 } },
      legend: { orientation: "h", y: -0.15 }, yaxis: { type: "category", automargin: true },
      font: { family: "DejaVu Sans, Arial, sans-serif", size: 12 } }, plotConfig);
    var list = document.getElementById("term-list");
    list.textContent = "";
    ranked(topic, lambda).forEach(function (t) { list.appendChild(node("li", t[0])); });
    document.getElementById("topic").value = String(state.topic);
  }
  if (D) {
    document.getElementById("topic-section").hidden = false;
    var topicSelect = document.getElementById("topic");
    D.topics.forEach(function (t) {
      var option = node("option", t.label);
      option.value = String(t.id);
      topicSelect.appendChild(option);
    });
    topicSelect.addEventListener("change", function () { state.topic = parseInt(topicSelect.value, 10); drawTopics(); });
    var slider = document.getElementById("lambda");
    slider.value = String(D.lambda);
    slider.addEventListener("input", drawTopics);
    drawTopics();
    document.getElementById("topic-map").on("plotly_click", function (ev) {
      state.topic = ev.points[0].pointIndex;
      drawTopics();
    });
  }

  /* -- start: the first change, else the latest period with documents ----------------- */
  var start = T.changes.length ? T.changes[0] : null;
  var last = T.periods.length - 1;
  while (last > 0 && T.empty[last]) { last -= 1; }
  select(start ? start.date : T.periods[last], null);
  document.getElementById("trend-plot").on("plotly_click", function (ev) {
    var point = ev.points[0];
    if (point && point.data.meta && point.data.meta.theme) { select(point.x, point.data.meta.theme); }
  });
  document.body.setAttribute("data-ready", "true");
})();
