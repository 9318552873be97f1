/* n-grams to GRUs: two small repairs of the pinned themes, loaded on every page.
 *
 * 1. Sidebar toggles. pydata-sphinx-theme 0.17.1 renders its own "Site navigation" and "On this
 *    page" buttons in the top bar, and sphinx-book-theme 1.3.0 renders a second pair in the
 *    article header (the pair a reader sees). Both themes attach their click handlers with
 *    document.querySelector, i.e. to the first button of each class only, which is the hidden
 *    one: the visible menu button did nothing (pydata-sphinx-theme issue 2451). A click on any
 *    later button of the same class is forwarded to the first, whose handlers then do what the
 *    themes intend: open the navigation dialog on a narrow screen, collapse the sidebar on a
 *    wide one.
 * 2. Search snippets. Sphinx builds a result's snippet from the page's text, where formulas are
 *    still TeX (\(n\)); they are turned into plain text first.
 */
(function () {
  "use strict";

  function forwardToFirst(selector) {
    const buttons = Array.from(document.querySelectorAll(selector));
    const first = buttons[0];
    buttons.slice(1).forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    });
  }

  const SYMBOLS = {
    mid: "|", cdot: "·", times: "×", le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠",
    neq: "≠", approx: "≈", to: "→", rightarrow: "→", leftarrow: "←", infty: "∞", sum: "Σ",
    prod: "Π", odot: "⊙", in: "∈", alpha: "α", beta: "β", gamma: "γ", delta: "δ",
    epsilon: "ε", eta: "η", theta: "θ", lambda: "λ", mu: "μ", pi: "π", sigma: "σ",
    tau: "τ", phi: "φ", Delta: "Δ", Sigma: "Σ", ldots: "…", dots: "…", cdots: "⋯",
    quad: " ", qquad: " ", left: "", right: "", big: "", Big: "", bigl: "", bigr: "",
  };

  /* Plain text for a formula's TeX: enough for a one-line search snippet. */
  function texToPlain(tex) {
    let text = tex.replace(/\\\(|\\\)|\\\[|\\\]|\$\$/g, "");
    const group = "\\{([^{}]*)\\}";
    text = text.replace(new RegExp("\\\\frac" + group + group, "g"), "($1)/($2)");
    text = text.replace(
      /\\(?:text|mathrm|mathit|mathbf|mathtt|textrm|texttt|operatorname|boldsymbol)\{([^{}]*)\}/g,
      "$1",
    );
    text = text.replace(/\\([A-Za-z]+)/g, (_match, name) =>
      Object.prototype.hasOwnProperty.call(SYMBOLS, name) ? SYMBOLS[name] : name,
    );
    return text.replace(/\\[,;:! ]/g, " ").replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
  }

  function patchSearchSnippets() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.htmlToText.plainMaths) {
      return;
    }
    const original = Search.htmlToText;
    const patched = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math").forEach((el) => {
        el.textContent = texToPlain(el.textContent);
      });
      return original(doc.documentElement.outerHTML, anchor);
    };
    patched.plainMaths = true;
    Search.htmlToText = patched;
  }

  window.ngramsToGrus = { texToPlain: texToPlain };
  patchSearchSnippets();
  const ready = () => {
    forwardToFirst(".primary-toggle");
    forwardToFirst(".secondary-toggle");
    patchSearchSnippets();
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
