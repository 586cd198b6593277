// Millrace dashboard: polls /api/pipelines/<name> every second and draws what it returns with uPlot.
// No build step: plain browser JavaScript, uPlot served from its webjar by the same server.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];
  var integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  var decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  var charts = {};
  var state = { polls: 0, failures: 0, name: null, last: null };

  // What the browser test reads: how many points each chart has, and the latest reading.
  window.millraceDashboard = {
    polls: function () { return state.polls; },
    observation: function () { return state.last; },
    seriesLengths: function () {
      var lengths = {};
      Object.keys(charts).forEach(function (id) {
        var c = charts[id];
        var points = 0;
        for (var s = 1; s < c.plot.data.length; s++) {
          points += c.plot.data[s].filter(function (v) { return v !== null && v !== undefined; }).length;
        }
        lengths[id] = points;
      });
      return lengths;
    }
  };

  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }
  function fmt(v) { v = num(v); return v === null || v < 0 ? "–" : integer.format(v); }
  function fmtRate(v) { v = num(v); return v === null ? "–" : integer.format(v) + " /s"; }
  function fmtMs(v) {
    v = num(v);
    if (v === null || v < 0) { return "–"; }
    return v < 10000 ? integer.format(v) + " ms" : decimal.format(v / 1000) + " s";
  }
  function fmtBytes(v) {
    v = num(v);
    if (v === null) { return "–"; }
    var units = ["B", "KB", "MB", "GB"];
    var i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return decimal.format(v) + " " + units[i];
  }
  function text(id, value) { document.getElementById(id).textContent = value; }
  function time(v) { return typeof v === "number" ? v : Date.parse(v); }

  function pipelineName() {
    var m = window.location.pathname.match(/^\/pipelines\/([^/]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  // Creates the chart, or recreates it when its lines change, else just gives it new data.
  function plot(id, title, unit, labels, xs, ys, bands) {
    var el = document.getElementById(id);
    var key = labels.join("\u0000");
    var data = [xs].concat(ys);
    var existing = charts[id];
    if (existing && existing.key === key) {
      existing.plot.setData(data);
      return;
    }
    if (existing) { existing.plot.destroy(); }
    el.innerHTML = "";
    var series = [{}].concat(labels.map(function (label, i) {
      return { label: label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { show: xs.length < 40 } };
    }));
    var opts = {
      title: title + " (" + unit + ")",
      width: Math.max(300, el.clientWidth - 16),
      height: 220,
      series: series,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 70, values: function (u, vals) { return vals.map(function (v) { return decimal.format(v); }); } }],
      legend: { live: false }
    };
    if (bands) {
      // Each group's band in its middle line's colour: low and high faint, the area between them fainter.
      opts.bands = bands;
      bands.forEach(function (b, n) {
        var color = COLORS[n % COLORS.length];
        opts.series[b.series[0] - 1].stroke = color;
        opts.series[b.series[0]].stroke = color + "66";
        opts.series[b.series[1]].stroke = color + "66";
        b.fill = color + "1a";
      });
    }
    charts[id] = { key: key, plot: new uPlot(opts, data, el) };
  }

  // History points over time: one line per key that the picked field holds.
  function historyChart(id, title, unit, history, pick) {
    var xs = history.map(function (p) { return p.t / 1000; });
    var labels = [];
    history.forEach(function (p) {
      Object.keys(pick(p) || {}).forEach(function (k) { if (labels.indexOf(k) < 0) { labels.push(k); } });
    });
    if (labels.length === 0) { labels = ["(none yet)"]; }
    var ys = labels.map(function (k) { return history.map(function (p) { var m = pick(p) || {}; return num(m[k]); }); });
    plot(id, title, unit, labels, xs, ys);
  }

  function resultCharts(defs, rows) {
    var container = document.getElementById("results");
    defs.forEach(function (def, n) {
      var id = "chart-result-" + n;
      if (!document.getElementById(id)) {
        var div = document.createElement("div");
        div.className = "chart";
        div.id = id;
        container.appendChild(div);
      }
      var mine = rows.filter(function (r) { return r[def.timeField] !== undefined && r[def.valueFields[0]] !== undefined; });
      // Lines: per series value (newest first, at most 6) or per value field.
      var groups = [null];
      if (def.seriesField) {
        groups = [];
        for (var i = mine.length - 1; i >= 0 && groups.length < (def.style === "BAND" ? 3 : 6); i--) {
          var g = mine[i][def.seriesField];
          if (groups.indexOf(g) < 0) { groups.push(g); }
        }
        groups.sort();
      }
      var xSet = {};
      mine.forEach(function (r) { xSet[time(r[def.timeField])] = true; });
      var xsMs = Object.keys(xSet).map(Number).sort(function (a, b) { return a - b; });
      var index = {};
      xsMs.forEach(function (x, i) { index[x] = i; });
      var labels = [];
      var ys = [];
      var bands = def.style === "BAND" ? [] : null;
      groups.forEach(function (g) {
        def.valueFields.forEach(function (field, f) {
          var label = g === null ? field : (def.style === "BAND" ? g + " " + field : String(g));
          if (def.style !== "BAND" && g !== null && def.valueFields.length > 1) { label = g + " " + field; }
          var line = xsMs.map(function () { return null; });
          mine.forEach(function (r) {
            if (g === null || r[def.seriesField] === g) { line[index[time(r[def.timeField])]] = num(Number(r[field])); }
          });
          labels.push(label);
          ys.push(line);
          if (bands && f === 2) {
            // The band fills between this group's high (just added) and low (two before).
            bands.push({ series: [ys.length, ys.length - 2], fill: "rgba(37,99,235,0.08)" });
          }
        });
      });
      if (labels.length === 0) { labels = ["(no results yet)"]; ys = [[]]; }
      plot(id, def.title, def.unit, labels, xsMs.map(function (x) { return x / 1000; }), ys, bands && bands.length ? bands : null);
    });
  }

  function rows(tableId, list, cells) {
    var body = document.querySelector("#" + tableId + " tbody");
    body.innerHTML = "";
    list.forEach(function (item) {
      var tr = document.createElement("tr");
      cells(item).forEach(function (c) {
        var td = document.createElement("td");
        td.textContent = c.text;
        if (c.cls) { td.className = c.cls; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function render(d) {
    var o = d.observation;
    var history = d.history || [];
    text("name", d.name);
    text("description", d.description);
    text("job", d.jobId);
    document.getElementById("flink").href = d.flinkUi;
    var error = document.getElementById("error");
    error.hidden = !d.error;
    error.textContent = d.error ? "last reading failed: " + d.error : "";
    if (!o) { return; }
    state.last = o;
    if (!d.error && o.recordsIn < 0 && o.operators.length === 0) {
      error.hidden = false;
      error.textContent = "Flink at " + d.flinkUi + " reports nothing about job " + d.jobId + ": has it stopped?";
    }
    var results = o.sinks.filter(function (s) { return s.role === "RESULTS"; })[0];
    // Rates over the last seconds, as the charts show them (one reading's difference is jumpy).
    var point = history.length ? history[history.length - 1] : { sinkRates: {} };
    var sinkRate = function (s) { return point.sinkRates ? point.sinkRates[s.name] : null; };
    text("in", fmt(o.recordsIn));
    text("inRate", fmtRate(point.inRate));
    text("out", results ? fmt(results.count) : "–");
    text("outRate", results ? results.name + " · " + fmtRate(sinkRate(results)) : "–");
    var lag = o.lag.length ? o.lag.reduce(function (a, l) { return a + Math.max(0, l.end - Math.max(0, l.committed)); }, 0) : null;
    text("lag", fmt(lag));
    text("wm", o.watermark > 0 ? fmtMs(o.timeMillis - o.watermark) : "–");
    var cp = o.checkpoint;
    text("cp", cp ? fmtMs(cp.durationMillis) : "none yet");
    text("cpSub", cp ? "chk-" + cp.id + " · " + fmtBytes(cp.sizeBytes) + " · " + fmt(cp.completed) + " done, " + fmt(cp.failed) + " failed" : "–");
    var dlq = o.sinks.filter(function (s) { return s.role === "DEAD_LETTERS"; })[0];
    var late = o.sinks.filter(function (s) { return s.role === "LATE"; })[0];
    text("dlq", dlq ? fmt(dlq.count) : "–");
    text("dlqShare", dlq && o.recordsIn > 0 && dlq.count >= 0 ? decimal.format(100 * dlq.count / o.recordsIn) + " % of input" : "–");
    text("late", late ? fmt(late.count) : "–");
    var lat = d.latency;
    if (lat) {
      text("latency", lat.p99 === null ? "–" : fmtMs(lat.p99));
      text("latencySub", lat.p99 === null
        ? "no result visible in the last " + lat.windowSeconds + " s (" + fmt(lat.pending) + " awaited)"
        : "p50 " + fmtMs(lat.p50) + " · p95 " + fmtMs(lat.p95) + " · " + fmt(lat.samples) + " records, last " + lat.windowSeconds + " s");
      document.getElementById("latencySub").title = "from the Kafka timestamp of 1 in " + lat.sampleEvery
        + " generated records to " + lat.visibleWhen;
    }

    resultCharts(d.charts || [], o.latestResults || []);
    historyChart("chart-rates", "Records in and written per sink", "records/s", history, function (p) {
      var m = { "input": p.inRate };
      Object.keys(p.sinkRates || {}).forEach(function (k) { m[k] = p.sinkRates[k]; });
      return m;
    });
    historyChart("chart-operators", "Records out per operator chain", "records/s", history, function (p) {
      // A chain's first operator names it in the legend; the table below has the whole chain.
      var m = {};
      Object.keys(p.operatorRates || {}).forEach(function (k) {
        var parts = k.split(" -> ");
        m[parts[0] + (parts.length > 1 ? " → …" : "")] = p.operatorRates[k];
      });
      return m;
    });
    historyChart("chart-lag", "Consumer lag per partition", "records", history, function (p) { return p.lag; });
    historyChart("chart-watermark", "Watermark delay", "ms", history, function (p) { return { "wall clock − watermark": p.watermarkDelay }; });
    historyChart("chart-checkpoint-duration", "Checkpoint duration", "ms", history, function (p) { return { "duration": p.checkpointDuration }; });
    historyChart("chart-checkpoint-size", "Checkpoint size", "bytes", history, function (p) { return { "checkpointed size": p.checkpointSize }; });
    // Only a process that generates the input follows records to their results; otherwise the chart stays hidden.
    if (lat) {
      document.getElementById("chart-latency").hidden = false;
      historyChart("chart-latency", "End-to-end latency (results of the last " + lat.windowSeconds + " s)", "ms", history, function (p) {
        return p.latency ? { "p50": p.latency.p50, "p95": p.latency.p95, "p99": p.latency.p99 } : { "p50": null, "p95": null, "p99": null };
      });
    }

    rows("operators", o.operators, function (op) {
      return [{ text: op.name }, { text: fmt(op.parallelism), cls: "num" }, { text: fmt(op.recordsIn), cls: "num" },
        { text: fmtRate(op.inPerSecond), cls: "num" }, { text: fmt(op.recordsOut), cls: "num" }, { text: fmtRate(op.outPerSecond), cls: "num" }];
    });
    rows("sinks", o.sinks, function (s) {
      return [{ text: s.name }, { text: s.role.toLowerCase().replace("_", " ") }, { text: fmt(s.count), cls: "num" }, { text: fmtRate(sinkRate(s)), cls: "num" }];
    });
    rows("dead-letters", o.latestDeadLetters, function (l) {
      return [{ text: l.detectedAt.replace("T", " ").replace("Z", "") }, { text: l.origin }, { text: l.reason, cls: "reason" },
        { text: l.value.length > 160 ? l.value.substring(0, 160) + "…" : l.value, cls: "value" }];
    });
  }

  function nav(list) {
    var el = document.getElementById("pipelines");
    el.innerHTML = "";
    list.forEach(function (p) {
      var a = document.createElement("a");
      a.href = "/pipelines/" + encodeURIComponent(p.name);
      a.textContent = p.name;
      if (p.name === state.name) { a.className = "active"; }
      el.appendChild(a);
    });
  }

  function live(ok) {
    document.getElementById("live").className = "dot " + (ok ? "ok" : "bad");
    text("updated", ok ? "live · updated " + new Date().toLocaleTimeString() : "not reachable, retrying…");
  }

  function poll() {
    fetch("/api/pipelines/" + encodeURIComponent(state.name), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.error && !d.name) { throw new Error(d.error); }
        render(d);
        state.polls++;
        live(true);
      })
      .catch(function () { state.failures++; live(false); })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  fetch("/api/pipelines", { cache: "no-store" })
    .then(function (r) { return r.json(); })
    .then(function (list) {
      state.name = pipelineName() || (list[0] && list[0].name);
      nav(list);
      if (!state.name) {
        text("name", "No pipeline is running");
        text("description", "Start one with ./millrace run <pipeline>, then reload.");
        return;
      }
      if (!pipelineName()) { history.replaceState(null, "", "/pipelines/" + encodeURIComponent(state.name)); }
      document.title = state.name + " · Millrace";
      poll();
    })
    .catch(function () { live(false); });
})();
