// The plan page on a phone opens on its tasks: the parts marked data-fold-phone (the reform
// areas, the targets, the filters beyond the search) start folded, a tap on their heading opens
// them. The part the address points to (…#targets after a measurement is saved) stays open.
// Loaded at the end of the page, not deferred, so that they fold before the page is first drawn.
(() => {
  if (!window.matchMedia("(max-width: 760px)").matches) {
    return;
  }
  const id = decodeURIComponent(window.location.hash.slice(1));
  const pointed = id ? document.getElementById(id) : null;
  document.querySelectorAll("details[data-fold-phone]").forEach((fold) => {
    if (!pointed || !fold.contains(pointed)) {
      fold.open = false;
    }
  });
})();
