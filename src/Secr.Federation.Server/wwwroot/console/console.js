// Progressive enhancement only: every page works without this script.
// 1. Buttons marked data-confirm ask before their form is sent (revoke, kill, delete).
// 2. A table marked data-tail polls its JSON feed and prepends new audit records (the audit page's live tail).
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message = button?.dataset.confirm ?? event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

function startTail(table) {
  const feed = table.dataset.tail;
  const body = table.tBodies[0];
  const status = document.getElementById(table.dataset.tailStatus);
  let after = Number(table.dataset.after || 0);
  const poll = async () => {
    try {
      const response = await fetch(`${feed}${feed.includes("?") ? "&" : "?"}after=${after}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const records = await response.json();
      for (const record of records) {
        after = Math.max(after, record.sequence);
        const row = body.insertRow(0);
        row.className = `outcome-${record.outcome} fresh`;
        row.dataset.sequence = record.sequence;
        for (const value of [record.time, record.outcome, record.action, record.identity ?? "", record.scope ?? "", `${record.reason_code} ${record.reason}`, record.client_ip ?? ""]) {
          row.insertCell().textContent = value;
        }
      }
      if (status) status.textContent = `Live: ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      if (status) status.textContent = `Live tail paused (${error.message}); retrying`;
    }
    setTimeout(poll, 2000);
  };
  poll();
}

document.querySelectorAll("table[data-tail]").forEach(startTail);
