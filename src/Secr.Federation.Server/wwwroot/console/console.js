// Progressive enhancement only: every page works without this script.
// 1. Buttons marked data-confirm ask before their form is sent (revoke, kill, delete).
// 2. A table marked data-tail polls its JSON feed and prepends new audit records (the audit page's live tail),
//    keeping at most data-tail-keep rows so a console left open on a busy server does not grow without bound.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message = button?.dataset.confirm ?? event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// The feed sends rows oldest first, each with the cells the _AuditTable partial renders (AuditRow); `id` is the
// reader's cursor (record id, not the chain's sequence number, which older records lack).
function tailRow(body, record) {
  const row = body.insertRow(0);
  row.className = `outcome-${record.outcome} fresh`;
  row.dataset.id = record.id;
  const cell = (text, className) => {
    const td = row.insertCell();
    td.textContent = text ?? "";
    if (className) td.className = className;
    return td;
  };
  cell(record.sequence === null ? "" : String(record.sequence));
  const time = document.createElement("time");
  time.dateTime = record.time_iso;
  time.textContent = record.time;
  row.insertCell().append(time);
  cell(record.outcome, "outcome");
  const action = cell(record.action_label === record.action ? record.action : "");
  if (record.action_label !== record.action) {
    const abbr = document.createElement("abbr");
    abbr.title = record.action;
    abbr.textContent = record.action_label;
    action.append(abbr);
  }
  // Who acted, then what they acted on; an identity in either links to its page.
  for (const [name, url, className] of [[record.actor, record.actor_url, "actor"], [record.target, record.target_url, "target"]]) {
    const named = cell(url ? "" : name, className);
    if (url) {
      const link = document.createElement("a");
      link.href = url;
      link.textContent = name ?? "";
      named.append(link);
    }
  }
  cell(record.scope);
  const reason = cell("", "reason");
  const code = document.createElement("code");
  code.textContent = record.reason_code;
  reason.append(code, ` ${record.reason}`);
  cell(record.source, "source");
  cell(record.client_ip);
}

function startTail(table) {
  const feed = table.dataset.tail;
  const body = table.tBodies[0];
  const status = document.getElementById(table.dataset.tailStatus);
  let after = Number(table.dataset.after || 0);
  let paused = false;
  const poll = async () => {
    try {
      const response = await fetch(`${feed}${feed.includes("?") ? "&" : "?"}after=${after}`, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } });
      // Without a session the feed redirects to the sign-in page: say so rather than parse HTML.
      if (response.type === "opaqueredirect") throw new Error("signed out; sign in again");
      if (!response.ok) throw new Error(String(response.status));
      const records = await response.json();
      for (const record of records) {
        after = Math.max(after, record.id);
        tailRow(body, record);
      }
      // Read on every poll rather than once, so the page (or a test) can change it while the tail runs.
      const keep = Number(table.dataset.tailKeep || 0);
      let dropped = 0;
      while (keep > 0 && body.rows.length > keep) {
        body.deleteRow(-1);
        dropped++;
      }
      // Announced (aria-live) only when something changed, not on every quiet poll.
      if (records.length > 0) {
        table.parentElement.querySelector(".empty-audit")?.remove();
        if (status) status.textContent = `${records.length} new record${records.length === 1 ? "" : "s"} at ${new Date().toLocaleTimeString()}`
          + (dropped > 0 ? `; the oldest ${dropped} dropped from the page (reload to page through them)` : "");
      } else if (paused && status) {
        status.textContent = "Live tail running again.";
      }
      paused = false;
    } catch (error) {
      paused = true;
      if (status) status.textContent = `Live tail paused (${error.message}); retrying`;
    }
    // How many polls have finished: a test waits for the next one instead of for a length of time.
    table.dataset.polls = String(Number(table.dataset.polls || 0) + 1);
    setTimeout(poll, 2000);
  };
  poll();
}

document.querySelectorAll("table[data-tail]").forEach(startTail);
