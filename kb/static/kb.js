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

/* The print button of a practice sheet needs JavaScript: it stays hidden without it. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    var item = button.closest(".js-only");
    if (item) { item.hidden = false; }
    button.addEventListener("click", function () { window.print(); });
  });
}());

/* The thank-you page's private link: a button copies the selectable field (which works
   without JavaScript); it stays hidden without it. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var item = button.closest(".js-only");
    if (!field || !navigator.clipboard) { return; }
    if (item) { item.hidden = false; }
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      }, function () { field.select(); });
    });
  });
}());
