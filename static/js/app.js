// Small behaviours of the layout; no inline script is allowed by the Content-Security-Policy.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll("[data-toggle=nav]").forEach((button) => {
    button.addEventListener("click", () => {
      const nav = document.getElementById(button.getAttribute("aria-controls"));
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
  // A grid row refused because it was locked meanwhile (403) still shows why: its read-only
  // version, sent with the refusal, replaces it.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (event.detail.xhr.status === 403 && target && target.matches("[data-grid-row]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // A button with data-confirm asks before its form is sent.
  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
