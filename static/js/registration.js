// Registration: a certification's expiry date shows only once its box is ticked.
(function () {
  "use strict";

  function sync(box) {
    var target = document.getElementById("reveal-" + box.getAttribute("data-reveals").replace(/^field-/, ""));
    if (!target) { return; }
    target.hidden = !box.checked;
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches("input[type=checkbox][data-reveals]")) { sync(box); }
  });
})();
