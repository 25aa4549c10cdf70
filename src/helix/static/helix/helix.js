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
