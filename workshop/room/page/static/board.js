"use strict";
// The room's board. The grid arrives as JSON over server-sent events (again
// whenever a result comes in, and every few seconds); it is drawn with
// textContent only, so a name is always shown as the text it is, never as HTML.
//
// Drawn for a projector, every attendee on one screen: the room is split into
// tables side by side as tall as the screen allows, and when they would not fit
// across, lessons fold into one column each (how many of the lesson's exercises
// pass): first those nobody is on, longest ago first, so the lesson most of the
// room is on keeps its columns. The CSV keeps every exercise.

const $ = (id) => document.getElementById(id);
const MIN_ROWS = 8; // a table of fewer rows is not worth a split
const STUCK_SHOWN = 10; // names listed above the grid; the rest are counted
const AWAY = 600; // seconds without a check before a name is shown as away

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function duration(seconds) {
  return seconds < 60 ? "<1 min" : `${Math.floor(seconds / 60)} min`;
}

function ago(seconds) {
  return seconds < 60 ? "<1m" : `${Math.floor(seconds / 60)}m`;
}

const lessonOf = (id) => id.split(".")[0];

function markCell(cell) {
  const td = el("td");
  if (!cell) {
    td.className = "todo";
    td.textContent = "·";
  } else if (cell.passed) {
    td.className = "pass";
    td.textContent = "✓";
  } else {
    td.className = cell.stuck ? "fail stuck" : "fail";
    td.append(el("span", `${cell.stuck ? "⚠" : "✗"} ${cell.ok}/${cell.total}`, "mark"));
    if (cell.stuck) td.append(el("span", ago(cell.failing_for), "since"));
  }
  return td;
}

function foldedCell(row, ids) {
  const cells = ids.map((id) => row.cells[id]).filter(Boolean);
  const passed = cells.filter((c) => c.passed).length;
  const td = el("td", `${passed}/${ids.length}`);
  if (cells.length === 0) {
    td.className = "todo";
    td.textContent = "·";
  } else if (passed === ids.length) {
    td.className = "pass";
  } else if (cells.some((c) => c.stuck)) {
    td.className = "fail stuck";
  } else {
    td.className = cells.some((c) => !c.passed) ? "fail" : "partial";
  }
  return td;
}

// What the tables show: an exercise's column, or a lesson folded into one; with
// `merged`, the folded lessons before the room's lesson share one column, and
// those after it another.
function layout(grid, folded, merged) {
  const main = grid.lessons[0]?.number;
  const group = (lesson) => (!merged ? lesson : lesson < main ? "before" : "after");
  const parts = [];
  for (const column of grid.columns) {
    const lesson = lessonOf(column.id);
    if (!folded.has(lesson)) {
      parts.push({ head: column.id, column });
      continue;
    }
    let part = parts.find((p) => p.group === group(lesson));
    if (!part) {
      part = { group: group(lesson), lessons: [], ids: [] };
      parts.push(part);
    }
    if (!part.lessons.includes(lesson)) part.lessons.push(lesson);
    part.ids.push(column.id);
    const [first, last] = [part.lessons[0], part.lessons.at(-1)];
    part.head = first === last ? `${first} ▸` : `${first}–${last} ▸`;
  }
  return parts;
}

function rate(column) {
  const td = el("td");
  if (!column.tried) return td;
  const share = column.tried ? Math.round((100 * column.passed) / column.tried) : 0;
  td.append(el("span", `${share}%`, "rate"), el("span", `${column.passed}/${column.tried}`, "count"));
  return td;
}

function table(parts, rows) {
  const t = el("table");
  const ids = el("tr");
  const rates = el("tr", undefined, "rates");
  ids.append(el("th", "", "name"), el("th", "seen", "seen"));
  rates.append(el("th", "passed / tried", "name"), el("th", "", "seen"));
  for (const part of parts) {
    ids.append(el("th", part.head, part.ids ? "folded" : undefined));
    rates.append(part.column ? rate(part.column) : el("td"));
  }
  t.createTHead().append(ids, rates);
  t.createTBody().append(
    ...rows.map((row) => {
      const tr = el("tr");
      const away = row.seen > AWAY;
      const name = el("th", row.name, away ? "name away" : "name");
      if (row.handed_in !== null) name.append(el("span", " ✉", "handed"));
      tr.append(name);
      tr.append(el("td", ago(row.seen), away ? "seen away" : "seen"));
      for (const part of parts) {
        tr.append(part.column ? markCell(row.cells[part.column.id]) : foldedCell(row, part.ids));
      }
      return tr;
    }),
  );
  return t;
}

// Tables side by side, each as tall as the screen allows below the grid's top.
function arrange(box, parts, rows) {
  box.replaceChildren(); // measured empty: a tall probe's scrollbar would narrow it
  const width = box.clientWidth;
  const probe = table(parts, rows);
  box.replaceChildren(probe);
  const body = probe.tBodies[0];
  const rowHeight = rows.length ? body.offsetHeight / rows.length : 1;
  const head = probe.tHead.offsetHeight;
  const below = $("footer").offsetHeight + 24;
  const room = window.innerHeight - box.getBoundingClientRect().top - below - head;
  const perTable = Math.max(MIN_ROWS, Math.floor(room / rowHeight));
  const blocks = Math.max(1, Math.ceil(rows.length / perTable));
  if (blocks > 1) {
    const per = Math.ceil(rows.length / blocks);
    const split = [];
    for (let start = 0; start < rows.length; start += per) {
      split.push(table(parts, rows.slice(start, start + per)));
    }
    box.replaceChildren(...split);
  }
  const gap = parseFloat(getComputedStyle(box).columnGap) || 0;
  const tables = [...box.children];
  const used = tables.reduce((sum, t) => sum + t.offsetWidth, 0) + gap * (tables.length - 1);
  return used <= width;
}

function drawGrid(grid) {
  const box = $("grid");
  const foldOrder = grid.lessons.map((l) => l.number).reverse(); // the least used first
  const folded = new Set();
  let merged = false;
  document.body.classList.remove("dense");
  let parts = layout(grid, folded, merged);
  let fits = arrange(box, parts, grid.rows);
  while (!fits && folded.size < foldOrder.length - 1) {
    folded.add(foldOrder[folded.size]);
    parts = layout(grid, folded, merged);
    fits = arrange(box, parts, grid.rows);
  }
  if (!fits && folded.size > 1) {
    merged = true;
    parts = layout(grid, folded, merged);
    fits = arrange(box, parts, grid.rows);
  }
  if (!fits) {
    document.body.classList.add("dense");
    fits = arrange(box, parts, grid.rows);
  }
  const names = [...folded].sort();
  const lessons = names.length > 1 ? "Lessons" : "Lesson";
  const how = merged ? "folded (exercises passed)" : "folded to one column each (exercises passed)";
  $("earlier").textContent = `${lessons} ${names.join(", ")} ${how}; the CSV has every exercise.`;
  $("earlier").hidden = names.length === 0;
  drawExercises(grid, parts);
}

// Titles, for a projector has no hover, and where most of those failing are.
function drawExercises(grid, parts) {
  const items = parts
    .filter((p) => p.column)
    .filter((p) => lessonOf(p.column.id) === grid.lessons[0]?.number)
    .map(({ column }) => {
      const li = el("li");
      li.append(el("b", column.id), el("span", ` ${column.title}`));
      if (column.failing) {
        const { step, text, attendees } = column.failing;
        li.append(el("span", ` · ${attendees} failing at step ${step}: ${text}`, "failing"));
      }
      return li;
    });
  $("exercise-list").replaceChildren(...items);
  $("exercises").hidden = items.length === 0;
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

let last = null;

function render(grid) {
  last = grid;
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

window.addEventListener("resize", () => last && drawGrid(last));
connect();
