"use strict";
// The room's board. The grid arrives as JSON over server-sent events (again
// whenever a result comes in, and every few seconds); it is drawn with
// textContent only, so a name is always shown as the text it is, never as HTML.
//
// Drawn for a projector: when the columns would not fit across the screen, the
// lessons fewest attendees have tried give way, older ones first (the CSV keeps
// them all); a long room is split into tables side by side.

const $ = (id) => document.getElementById(id);
const MIN_ROWS = 8; // a table of fewer rows is not worth a split
const STUCK_SHOWN = 10; // names listed above the grid; the rest are counted

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function duration(seconds) {
  return seconds < 60 ? "<1 min" : `${Math.floor(seconds / 60)} min`;
}

const lessonOf = (id) => id.split(".")[0];

function leastTried(columns) {
  const tried = new Map();
  for (const c of columns) {
    tried.set(lessonOf(c.id), Math.max(tried.get(lessonOf(c.id)) ?? 0, c.tried));
  }
  const lessons = [...tried.keys()];
  lessons.sort((a, b) => tried.get(a) - tried.get(b) || a.localeCompare(b));
  return lessons;
}

function markCell(cell) {
  const td = el("td");
  if (!cell) {
    td.className = "todo";
    td.textContent = "·";
    td.title = "not started";
  } else if (cell.passed) {
    td.className = "pass";
    td.textContent = "✓";
    td.title = `passed (${cell.tries} tries)`;
  } else {
    td.className = cell.stuck ? "fail stuck" : "fail";
    td.append(
      el("span", `${cell.stuck ? "⚠" : "✗"} ${cell.ok}/${cell.total}`, "mark"),
      el("span", duration(cell.failing_for), "since"),
    );
    td.title = `${cell.ok} of ${cell.total} steps pass; failing for ${duration(cell.failing_for)}`;
  }
  return td;
}

function table(grid, columns, rows) {
  const t = el("table");
  const ids = el("tr");
  const rates = el("tr", undefined, "rates");
  ids.append(el("th", "", "name"));
  rates.append(el("th", "passed", "name"));
  for (const column of columns) {
    const th = el("th", column.id);
    th.title = column.title;
    ids.append(th);
    const share = grid.attendees ? Math.round((100 * column.passed) / grid.attendees) : 0;
    const td = el("td");
    td.append(el("span", `${share}%`, "rate"), el("span", `${column.passed}/${grid.attendees}`, "count"));
    rates.append(td);
  }
  t.createTHead().append(ids, rates);
  t.createTBody().append(
    ...rows.map((row) => {
      const tr = el("tr");
      const name = el("th", row.name, "name");
      name.title = row.name;
      tr.append(name);
      for (const column of columns) tr.append(markCell(row.cells[column.id]));
      return tr;
    }),
  );
  return t;
}

function drawGrid(grid) {
  const box = $("grid");
  let columns = grid.columns;
  let probe = table(grid, columns, grid.rows);
  box.replaceChildren(probe);
  const dropped = [];
  while (probe.offsetWidth > box.clientWidth && leastTried(columns).length > 1) {
    const lesson = leastTried(columns)[0];
    dropped.push(lesson);
    columns = columns.filter((c) => lessonOf(c.id) !== lesson);
    probe = table(grid, columns, grid.rows);
    box.replaceChildren(probe);
  }
  const gap = parseFloat(getComputedStyle(box).columnGap) || 0;
  const across = Math.floor((box.clientWidth + gap) / (probe.offsetWidth + gap));
  const blocks = Math.max(1, Math.min(across, Math.floor(grid.rows.length / MIN_ROWS)));
  if (blocks > 1) {
    const per = Math.ceil(grid.rows.length / blocks);
    const tables = [];
    for (let start = 0; start < grid.rows.length; start += per) {
      tables.push(table(grid, columns, grid.rows.slice(start, start + per)));
    }
    box.replaceChildren(...tables);
  }
  dropped.sort();
  const lessons = dropped.length > 1 ? "Lessons" : "Lesson";
  $("earlier").textContent = `${lessons} ${dropped.join(", ")} left out to fit the screen; the CSV has every lesson.`;
  $("earlier").hidden = dropped.length === 0;
}

function drawStuck(grid) {
  const items = grid.stuck
    .slice(0, STUCK_SHOWN)
    .map((s) => el("li", `${s.name} · ${s.exercise} · ${duration(s.failing_for)}`));
  const more = grid.stuck.length - STUCK_SHOWN;
  if (more > 0) items.push(el("li", `and ${more} more`, "more"));
  $("stuck-names").replaceChildren(...items);
  $("stuck").hidden = grid.stuck.length === 0;
}

function render(grid) {
  $("join").textContent = `join("${grid.url}", "${grid.code}", "your name")`;
  const time = new Date().toLocaleTimeString();
  $("summary").textContent =
    `${grid.attendees} in the room · ${grid.stuck.length} stuck · updated ${time}`;
  $("empty").hidden = grid.rows.length > 0;
  drawStuck(grid);
  drawGrid(grid);
}

function connect() {
  const source = new EventSource("/api/events");
  source.addEventListener("grid", (event) => {
    render(JSON.parse(event.data));
    $("live").textContent = "live";
    $("live").className = "live on";
  });
  source.onerror = () => {
    // EventSource tries again by itself; say so meanwhile.
    $("live").textContent = "reconnecting…";
    $("live").className = "live off";
  };
}

connect();
