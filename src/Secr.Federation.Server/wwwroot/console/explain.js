// Explain, live: re-runs the explain as the admin types (debounced) through the page's Live handler, which answers
// with the rendered report only (the form data carries its antiforgery field). The form still works without this
// script (a plain POST).
const form = document.getElementById("explain-form");
const result = document.getElementById("explain-result");
if (form && result) {
  const subject = form.querySelector("textarea[name=Subject]");
  let timer;
  let latest = 0;
  const explain = async () => {
    const run = ++latest;
    try {
      const response = await fetch(form.dataset.live, {
        method: "POST",
        credentials: "same-origin",
        body: new FormData(form),
      });
      const html = await response.text();
      // An older, slower answer must not overwrite a newer one.
      if (run === latest) result.innerHTML = html;
    } catch (error) {
      if (run === latest) result.textContent = `Could not explain (${error.message}); use the Explain button.`;
    }
  };
  subject.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(explain, 400);
  });
}
