// The header's menu (base.html) is a <details>: folded on a phone, where « Menu » opens it with
// no script. On a wide screen this script keeps it open, and app.css hides its « Menu » button;
// without the script a wide screen shows « Menu » too, and the menu still opens.
(function () {
  "use strict";
  var menu = document.querySelector("details.site-menu");
  if (!menu) return;
  var wide = window.matchMedia("(min-width: 641px)");
  function fit() {
    menu.open = wide.matches;
  }
  fit();
  wide.addEventListener("change", fit);
})();
