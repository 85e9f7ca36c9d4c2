// The glossary's definitions (sitegen/glossary.py marks each term as <abbr title="...">), shown
// as Material draws its tooltips: on hover, on a tap (a phone's tap is a hover until the next
// tap elsewhere), and on keyboard focus. Material's own (the `content.tooltips` feature) sets up
// a tooltip for each of a chapter's hundred terms on load, a third of a slow phone's blocking
// time (benchmarks/lighthouse.py); this one is a few listeners on the document.
(() => {
  const TERM = ".md-content abbr[title], .md-content abbr[data-ptx-title]";
  const HIDE_AFTER_MS = 250; // Material's: time to move the pointer away and back
  let host = null;
  let tip = null;
  let hideTimer = 0;

  function show(term) {
    clearTimeout(hideTimer);
    if (term === host) return;
    hide();
    host = term;
    const text = term.getAttribute("title");
    term.dataset.ptxTitle = text;
    term.removeAttribute("title"); // or the browser's own tooltip shows on top of this one
    tip = document.createElement("div");
    tip.className = "md-tooltip2 md-tooltip2--bottom";
    tip.setAttribute("role", "tooltip");
    tip.id = "ptx-glossary-tooltip";
    const inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = text;
    tip.append(inner);
    document.body.append(tip);
    term.setAttribute("aria-describedby", tip.id);
    place();
    const shown = tip;
    requestAnimationFrame(() => requestAnimationFrame(() => shown.classList.add("md-tooltip2--active")));
  }

  // Where the term is now, in the document: again whenever the page's height changes (a run of
  // blocks above it laid out for the first time moves it down).
  function place() {
    if (!host) return;
    const box = host.getBoundingClientRect();
    const style = tip.style;
    style.setProperty("--md-tooltip-host-x", `${box.x + scrollX}px`);
    style.setProperty("--md-tooltip-host-y", `${box.y + scrollY}px`);
    style.setProperty("--md-tooltip-x", `${box.width / 2}px`);
    style.setProperty("--md-tooltip-y", `${8 + box.height}px`);
    style.removeProperty("--md-tooltip-width");
    style.setProperty("--md-tooltip-width", `${tip.firstElementChild.offsetWidth}px`);
    style.setProperty("--md-tooltip-tail", "0px");
  }
  new ResizeObserver(place).observe(document.body);

  function hide() {
    clearTimeout(hideTimer);
    if (!host) return;
    host.setAttribute("title", host.dataset.ptxTitle);
    delete host.dataset.ptxTitle;
    host.removeAttribute("aria-describedby");
    tip.remove();
    host = tip = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_AFTER_MS);
  }

  const termOf = (node) => (node instanceof Element ? node.closest(TERM) : null);

  addEventListener("mouseover", (event) => {
    const term = termOf(event.target);
    if (term) show(term);
  });
  addEventListener("mouseout", (event) => {
    if (host && termOf(event.target) === host && !host.contains(event.relatedTarget)) hideSoon();
  });
  addEventListener("focusin", (event) => {
    const term = termOf(event.target);
    if (term) show(term);
    else if (host) hide();
  });
  addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  addEventListener("resize", hide);
})();
