// The results page: "Print summary" opens the browser's print dialog (the print stylesheet gives one A4 page).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
