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
