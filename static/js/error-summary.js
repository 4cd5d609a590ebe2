/* After a form was sent with mistakes, move the keyboard focus to the list of errors, so that a
   screen reader reads it first and the next Tab goes on from there; a link of the list then
   takes the focus to its field (a plain #fragment only scrolls). Loaded, deferred and from this
   origin (the Content-Security-Policy allows no inline script), on pages whose context has
   page_has_errors. Without JavaScript the list is the first thing after the page's heading. */
(function () {
  "use strict";
  var summary =
    document.getElementById("error-summary") || document.querySelector("[data-focus-on-load]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
