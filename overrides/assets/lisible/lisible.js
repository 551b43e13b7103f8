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

  /* After Material has started, give it what happened before: the open search
     toggle and the query typed so far. `refocus` when the header button opened it. */
  function openSearch(refocus) {
    var input = d.querySelector(".md-search__input");
    if (!input) return;
    startMaterial().then(function () {
      if (refocus) input.focus();
      if (d.activeElement === input) {
        toggle("__search", true);
        input.dispatchEvent(new Event("focus"));
        if (input.value) {
          input.dispatchEvent(new Event("input"));
          input.dispatchEvent(new KeyboardEvent("keyup"));
        }
      }
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
      button.addEventListener("click", function () { openSearch(true); });
      box.addEventListener("change", function () {  /* closed: back to the button */
        if (!box.checked && getComputedStyle(button).display !== "none") {
          setTimeout(function () { button.focus(); }, 0);
        }
      });
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

  /* Tabbing through the search field costs nothing; clicking or typing in it starts search. */
  var input = d.querySelector(".md-search__input");
  if (input) {
    input.addEventListener("pointerdown", function () { openSearch(false); });
    input.addEventListener("keydown", function (event) {
      if (!started && event.key !== "Tab" && event.key !== "Shift") openSearch(false);
    });
  }

  d.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var drawer = d.getElementById("__drawer");
    if (drawer && drawer.checked) {
      toggle("__drawer", false);
      d.querySelector(".md-header__button[for=__drawer]").focus();
    }
  });
})();
