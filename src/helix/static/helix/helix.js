// Helix's own script. Templates declare behaviour with data- attributes and this file acts on them, so
// no page needs an inline script or event handler (the Content-Security-Policy refuses both). Every page
// works without it; it only saves a click.

// <select data-autosubmit>: send its form as soon as the choice changes (the language menu).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});

// <button data-fill-target="ID" data-fill-value="VALUE">: put VALUE into the field ID (a suggested code).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-target]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.fillTarget);
  if (field) {
    field.value = button.dataset.fillValue;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
});

// <input type="checkbox" data-check-all="FORM">: tick or untick every "ids" box of the form FORM (the
// rows of a table whose bulk action that form sends).
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-check-all]");
  if (!box) {
    return;
  }
  const selector = `input[type="checkbox"][name="ids"][form="${box.dataset.checkAll}"]`;
  document.querySelectorAll(selector).forEach((item) => {
    item.checked = box.checked;
  });
});

// .table-wrap: a table wider than the screen scrolls sideways inside it; keyboard users must be able to
// reach it to scroll it (WCAG 2.1.1). Templates should say tabindex="0" themselves; this covers any that
// do not, also in content htmx swaps in.
const focusableTableWraps = (root) => {
  const wraps = [...root.querySelectorAll(".table-wrap:not([tabindex])")];
  if (root.matches && root.matches(".table-wrap:not([tabindex])")) {
    wraps.push(root);
  }
  wraps.forEach((wrap) => {
    wrap.tabIndex = 0;
  });
};
focusableTableWraps(document);
document.addEventListener("htmx:load", (event) => focusableTableWraps(event.detail.elt));

// A field with data-max-chars / data-max-words (an application's answer): keep the counters under it
// ([data-counter-for="ID"] [data-count="chars|words"]) up to date as the person types; a counter over
// its limit is marked. The page says the counts at load and the server checks them on save.
document.addEventListener("input", (event) => {
  const field = event.target.closest("[data-max-chars], [data-max-words]");
  if (!field || !field.id) {
    return;
  }
  const counts = { chars: field.value.length, words: field.value.trim().split(/\s+/).filter(Boolean).length };
  const limits = { chars: Number(field.dataset.maxChars), words: Number(field.dataset.maxWords) };
  document.querySelectorAll(`[data-counter-for="${field.id}"] [data-count]`).forEach((span) => {
    const kind = span.dataset.count;
    span.textContent = String(counts[kind]);
    span.closest("[data-counter-for]").classList.toggle("counter--over", counts[kind] > limits[kind]);
  });
});

// <select data-browser-zone> (the visitor's time zone on the calls pages): the first time, propose the
// browser's own zone and remember it in the helix_tz cookie the pages read, so deadlines show in it.
document.querySelectorAll("select[data-browser-zone]").forEach((select) => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || document.cookie.split("; ").some((c) => c.startsWith("helix_tz="))) {
    return;
  }
  document.cookie = `helix_tz=${zone}; path=/; max-age=31536000; SameSite=Lax`;
  if (![...select.options].some((o) => o.value === zone)) {
    select.add(new Option(zone, zone));
  }
  select.value = zone;
});

// <button data-print>: print the page (a receipt); print CSS leaves out the site's header and buttons.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
