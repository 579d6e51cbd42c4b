"use strict";
// The room's board. The grid arrives as JSON over server-sent events (again
// whenever a result comes in, and every few seconds); it is drawn with
// textContent only, so a name is always shown as the text it is, never as HTML.

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function duration(seconds) {
  return seconds < 60 ? "<1 min" : `${Math.floor(seconds / 60)} min`;
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

function header(grid) {
  const row = el("tr");
  row.append(el("th", "", "name"));
  for (const column of grid.columns) {
    const th = el("th", column.id);
    th.title = column.title;
    row.append(th);
  }
  return row;
}

function footer(grid) {
  const row = el("tr");
  row.append(el("th", "passed", "name"));
  for (const column of grid.columns) {
    const td = el("td");
    const share = grid.attendees ? Math.round((100 * column.passed) / grid.attendees) : 0;
    td.append(el("span", `${share}%`, "rate"), el("span", `${column.passed}/${grid.attendees}`, "count"));
    row.append(td);
  }
  return row;
}

function render(grid) {
  $("join").textContent = `join("${grid.url}", "${grid.code}", "your name")`;
  const time = new Date().toLocaleTimeString();
  $("summary").textContent =
    `${grid.attendees} in the room · ${grid.stuck.length} stuck · updated ${time}`;

  const table = $("grid");
  table.tHead.replaceChildren(header(grid));
  table.tBodies[0].replaceChildren(
    ...grid.rows.map((row) => {
      const tr = el("tr");
      tr.append(el("th", row.name, "name"));
      for (const column of grid.columns) tr.append(markCell(row.cells[column.id]));
      return tr;
    }),
  );
  table.tFoot.replaceChildren(footer(grid));
  table.hidden = grid.rows.length === 0;
  $("empty").hidden = grid.rows.length > 0;

  $("stuck-names").replaceChildren(
    ...grid.stuck.map((s) => el("li", `${s.name}: ${s.exercise}, failing for ${duration(s.failing_for)}`)),
  );
  $("stuck").hidden = grid.stuck.length === 0;
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
