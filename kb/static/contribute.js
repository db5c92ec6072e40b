/* kb: duplicate hints while typing a contribution (progressive enhancement).
   Without this script the server shows the same hints on preview and on submit. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  var box = document.getElementById("similaires");
  if (!form || !box || !window.fetch) { return; }
  var title = form.querySelector("[name=title]");
  var summary = form.querySelector("[name=summary]");
  var list = box.querySelector("ul");
  var timer = null;
  var last = "";

  function show(results) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.hidden = results.length === 0;
  }

  function ask() {
    var params = new URLSearchParams({title: title.value, summary: summary.value});
    if (form.dataset.exclude) { params.set("exclure", form.dataset.exclude); }
    var query = params.toString();
    if (query === last || (title.value + summary.value).trim().length < 8) { return; }
    last = query;
    fetch(form.dataset.similarUrl + "?" + query, {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {results: []}; })
      .then(function (data) { show(data.results || []); })
      .catch(function () { /* hints are a convenience: stay silent */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 500);
  }

  [title, summary].forEach(function (field) {
    if (field) { field.addEventListener("input", later); }
  });
}());
