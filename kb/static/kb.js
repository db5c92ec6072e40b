/* kb: optional progressive enhancement; every page works without it.
   On narrow screens the facet panel starts closed, so results come first. */
(function () {
  "use strict";
  var panel = document.querySelector(".facets__panel");
  if (!panel || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 52em)");
  function fit() { panel.open = wide.matches; }
  fit();
  if (wide.addEventListener) { wide.addEventListener("change", fit); }
}());
