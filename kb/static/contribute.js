/* kb: the contribution form, better with JavaScript (everything works without it).
   - duplicate hints while typing the title and summary;
   - an error disappears from its field and from the summary once the field is fixed;
   - what is typed is kept on this device until it is sent, and offered back after a
     lost page (back button, closed tab): restoring posts it to the server, which
     redraws the whole form, rows included. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");

  // -- duplicate hints -----------------------------------------------------------
  (function similar() {
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

  // -- errors that disappear once fixed ------------------------------------------
  var DATE = /^(\d{4}|\d{1,2}[\/.\- ]\d{4}|\d{1,2}[\/.\- ]\d{1,2}[\/.\- ]\d{4}|\d{4}-\d{2}(-\d{2})?)$/;
  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

  function fixed(field) {
    var value = (field.value || "").trim();
    if (field.type === "checkbox") { return field.checked; }
    if (field.name === "started" || field.name === "ended") { return value === "" || DATE.test(value); }
    if (field.type === "email") { return EMAIL.test(value); }
    if (field.type === "url") { return value === "" || /^https?:\/\/\S+$/i.test(value); }
    return value !== "";
  }

  function clearError(id) {
    var message = document.getElementById(id);
    if (message) {
      var holder = message.closest(".field--error");
      if (holder) { holder.classList.remove("field--error"); }
      message.parentNode.removeChild(message);
    }
    document.querySelectorAll("[aria-describedby~='" + id + "']").forEach(function (other) {
      var ids = other.getAttribute("aria-describedby").split(/\s+/).filter(function (x) { return x !== id; });
      if (ids.length) { other.setAttribute("aria-describedby", ids.join(" ")); }
      else { other.removeAttribute("aria-describedby"); }
      other.removeAttribute("aria-invalid");
      var group = other.closest(".field--error");
      if (group) { group.classList.remove("field--error"); }
    });
    var link = document.querySelector(".error-summary a[href='#" + id + "']");
    if (link) {
      var summary = link.closest(".error-summary");
      link.parentNode.parentNode.removeChild(link.parentNode);
      if (summary && !summary.querySelector("li")) { summary.hidden = true; }
    }
  }

  function watchErrors(event) {
    var field = event.target;
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (id) { return id.indexOf("err-") === 0; });
    if (!ids.length || !fixed(field)) { return; }
    ids.forEach(clearError);
  }
  document.addEventListener("input", watchErrors);
  document.addEventListener("change", watchErrors);

  // -- nothing typed is lost -----------------------------------------------------
  var kept = document.querySelector("form[data-autosave]");
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }
  var sent = document.querySelector("[data-sent]");
  if (sent && storage) {
    Object.keys(storage).forEach(function (key) {
      if (key.indexOf("kb-draft:") === 0) { storage.removeItem(key); }
    });
  }
  if (!kept || !storage) { return; }
  var key = "kb-draft:" + kept.dataset.autosave;
  var SKIP = {csrf_token: 1, website: 1, similar_ack: 1, action: 1, add_row: 1};

  function snapshot() {
    var data = [];
    new FormData(kept).forEach(function (value, name) {
      if (!SKIP[name] && typeof value === "string") { data.push([name, value]); }
    });
    return data;
  }

  function typed(data) {
    return data.some(function (pair) { return pair[0] !== "theme_order" && pair[1].trim() !== ""; });
  }

  var saved = null;
  try { saved = JSON.parse(storage.getItem(key) || "null"); } catch (e) { saved = null; }
  var fresh = !document.querySelector(".error-summary, .preview, .notice") && !typed(snapshot());
  if (saved && saved.data && typed(saved.data) && fresh) {
    var offer = document.createElement("div");
    offer.className = "notice restore";
    offer.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = kept.dataset.restoreText || "Une saisie non envoyée a été retrouvée sur cet appareil.";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "button";
    yes.textContent = kept.dataset.restoreYes || "La reprendre";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "button button--secondary";
    no.textContent = kept.dataset.restoreNo || "L’effacer";
    offer.appendChild(text);
    offer.appendChild(yes);
    offer.appendChild(no);
    kept.parentNode.insertBefore(offer, kept);
    yes.addEventListener("click", function () {
      var again = document.createElement("form");
      again.method = "post";
      again.action = kept.action;
      var fields = saved.data.concat([["action", "restore"],
        ["csrf_token", kept.querySelector("[name=csrf_token]").value]]);
      fields.forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        again.appendChild(input);
      });
      document.body.appendChild(again);
      again.submit();
    });
    no.addEventListener("click", function () {
      storage.removeItem(key);
      offer.parentNode.removeChild(offer);
    });
  }

  var pending = null;
  function keep() {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      var data = snapshot();
      if (typed(data)) {
        try { storage.setItem(key, JSON.stringify({at: Date.now(), data: data})); } catch (e) { /* full */ }
      }
    }, 400);
  }
  kept.addEventListener("input", keep);
  kept.addEventListener("change", keep);
}());
