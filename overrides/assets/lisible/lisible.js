/* lisible: the only script a page loads.
   1. The menu and search buttons of the header are labels of Material's CSS toggles;
      this makes them real buttons for the keyboard (Tab, Enter, Space) and says
      whether they are open (aria-expanded). Escape closes what is open.
   2. Material's own script (search, about 40 kB) is fetched only when a reader
      opens search, then started as if the page had just loaded.
   Without JavaScript every page still reads; only search is hidden. */
(function () {
  "use strict";
  var d = document;
  var me = d.currentScript;
  var started = null;
  d.documentElement.classList.remove("no-js");

  function toggle(id, on) {
    var box = d.getElementById(id);
    if (box && box.checked !== on) {
      box.checked = on;
      box.dispatchEvent(new Event("change"));
    }
  }

  function startMaterial() {
    if (!started) {
      started = new Promise(function (resolve) {
        var script = d.createElement("script");
        script.src = me.getAttribute("data-bundle");
        script.onload = function () {
          d.dispatchEvent(new Event("DOMContentLoaded"));
          resolve();
        };
        d.body.appendChild(script);
      });
    }
    return started;
  }

  function openSearch() {
    var input = d.querySelector(".md-search__input");
    startMaterial().then(function () {
      if (!input) return;
      if (getComputedStyle(d.querySelector("[for=__search]")).display !== "none") {
        toggle("__search", true);
      }
      input.focus();
      if (d.activeElement === input) toggle("__search", true);
    });
  }

  d.querySelectorAll(".md-header__button[for]").forEach(function (button) {
    var box = d.getElementById(button.htmlFor);
    if (!box) return;
    button.setAttribute("role", "button");
    button.tabIndex = 0;
    button.setAttribute("aria-expanded", String(box.checked));
    box.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(box.checked));
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        button.click();
      }
    });
    if (box.id === "__search") {
      button.addEventListener("click", openSearch);
    }
    if (box.id === "__drawer") {
      box.addEventListener("change", function () {
        var first = d.querySelector(".md-sidebar--primary .md-nav__link[href]");
        if (box.checked && first) {
          setTimeout(function () { first.focus(); }, 50);
        }
      });
    }
  });

  var input = d.querySelector(".md-search__input");
  if (input) {
    input.addEventListener("focus", function () {
      if (!started) openSearch();
    });
  }

  d.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var drawer = d.getElementById("__drawer");
    if (drawer && drawer.checked) {
      toggle("__drawer", false);
      d.querySelector("[for=__drawer]").focus();
    }
  });
})();
