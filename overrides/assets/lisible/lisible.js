/* lisible: the only script a page loads.
   1. The menu and search buttons of the header are labels of Material's CSS toggles;
      this puts real buttons in their place, for the keyboard (Tab, Enter, Space),
      that say whether they are open (aria-expanded). Escape closes the menu.
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

  /* Each header label becomes a real <button> (the label stays, hidden, for
     Material's script, which looks it up). */
  d.querySelectorAll(".md-header__button[for]").forEach(function (label) {
    var box = d.getElementById(label.htmlFor);
    if (!box) return;
    var button = d.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.innerHTML = label.innerHTML;
    button.setAttribute("aria-label", label.getAttribute("aria-label") || "");
    button.setAttribute("data-for", box.id);
    button.setAttribute("aria-expanded", String(box.checked));
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    box.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(box.checked));
    });
    button.addEventListener("click", function () {
      toggle(box.id, !box.checked);
      if (box.id === "__search" && box.checked) openSearch(true);
    });
    if (box.id === "__search") {
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
      d.querySelector(".md-header__button[data-for=__drawer]").focus();
    }
  });
})();
