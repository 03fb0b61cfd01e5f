// Small behaviours of the layout; no inline script is allowed by the Content-Security-Policy.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A select with data-shows="ID" shows, inside element ID, only the part named for the chosen
  // value (data-shown-for); without script every part shows, each under its own title.
  document.querySelectorAll("select[data-shows]").forEach((select) => {
    const parts = document.getElementById(select.dataset.shows);
    const show = () => {
      parts.querySelectorAll("[data-shown-for]").forEach((part) => {
        part.hidden = part.dataset.shownFor !== select.value;
      });
    };
    select.addEventListener("change", show);
    show();
  });
  document.querySelectorAll("[data-toggle=nav]").forEach((button) => {
    button.addEventListener("click", () => {
      const nav = document.getElementById(button.getAttribute("aria-controls"));
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        // the group holding the page shown opens with the menu
        nav.querySelectorAll("details.current").forEach((group) => {
          group.open = true;
        });
      }
    });
  });
  // Menus made of <details data-menu>: one open at a time, closed by a click elsewhere, by
  // focus moving elsewhere, or by Escape (which returns focus to the menu's name; a second
  // Escape closes the main menu on a phone).
  const openMenus = () => document.querySelectorAll("details[data-menu][open]");
  const close = (menu) => {
    menu.open = false;
  };
  document.addEventListener(
    "toggle",
    (event) => {
      const menu = event.target;
      if (!(menu instanceof HTMLDetailsElement) || !menu.matches("[data-menu]") || !menu.open) {
        return;
      }
      openMenus().forEach((other) => other !== menu && close(other));
    },
    true,
  );
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-toggle=nav]")) {
      return; // the menu button, which may just have opened a group
    }
    openMenus().forEach((menu) => menu.contains(event.target) || close(menu));
  });
  document.addEventListener("focusout", (event) => {
    const menu = event.target.closest && event.target.closest("details[data-menu][open]");
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) {
      close(menu);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    const open = openMenus();
    if (open.length) {
      open.forEach((menu) => {
        const focused = menu.contains(document.activeElement);
        close(menu);
        if (focused) {
          menu.querySelector("summary").focus();
        }
      });
      return;
    }
    document.querySelectorAll("[data-toggle=nav][aria-expanded=true]").forEach((button) => {
      document.getElementById(button.getAttribute("aria-controls")).classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    });
  });
  // A grid row refused because it was locked meanwhile (403) still shows why: its read-only
  // version, sent with the refusal, replaces it. So does a row refused because someone else
  // saved it meanwhile (409): it comes back with their values and this person's input.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    const status = event.detail.xhr.status;
    if ((status === 403 || status === 409) && target && target.matches("[data-grid-row]")) {
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
