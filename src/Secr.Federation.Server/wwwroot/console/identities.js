// After a roll the page is the POST's response, holding the new value: point the address bar at the new token's
// own page, so reloading fetches that page (which never shows the value) instead of posting the roll again.
document.querySelectorAll("[data-canonical-url]").forEach((element) => {
  history.replaceState(null, "", element.dataset.canonicalUrl);
});
