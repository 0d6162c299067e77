(function () {
  "use strict";
  var HL = ["hl-s", "hl-t", "hl-a", "hl-e", "sel"];
  function clear(root) {
    HL.forEach(function (c) {
      root.querySelectorAll("." + c).forEach(function (e) { e.classList.remove(c); });
    });
  }
  function mark(root, keys, cls) {
    (keys || "").split(" ").forEach(function (k) {
      if (/^k[0-9]+$/.test(k)) {
        root.querySelectorAll('[data-k="' + k + '"]').forEach(function (e) { e.classList.add(cls); });
      }
    });
  }
  function select(card, scroll) {
    var art = card.closest(".article");
    if (!art) return;
    clear(art);
    card.classList.add("sel");
    mark(art, card.dataset.s, "hl-s");
    mark(art, card.dataset.t, "hl-t");
    mark(art, card.dataset.a, "hl-a");
    var t = art.querySelector(".text .hl-t") || art.querySelector(".hl-s");
    if (scroll && t) t.scrollIntoView({ block: "center" });
  }
  function selectEntity(el) {
    var art = el.closest(".article");
    if (!art || !/^[0-9]+$/.test(el.dataset.e || "")) return;
    clear(art);
    art.querySelectorAll('.text [data-e="' + el.dataset.e + '"], .title [data-e="' + el.dataset.e + '"]').forEach(function (e) {
      e.classList.add("hl-e");
    });
  }
  document.addEventListener("click", function (ev) {
    var m = ev.target.closest(".m, .r, .chip[data-e]");
    if (m) { selectEntity(m); return; }
    var card = ev.target.closest(".card");
    if (card && !ev.target.closest("a")) select(card, true);
  });
  document.addEventListener("keydown", function (ev) {
    var card = ev.target.closest && ev.target.closest(".card");
    if (card && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); select(card, true); }
  });
  document.querySelectorAll("input.filter").forEach(function (input) {
    var table = document.getElementById(input.dataset.target);
    if (!table) return;
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      table.querySelectorAll("tr[data-f]").forEach(function (tr) {
        tr.hidden = q !== "" && (tr.dataset.f + " " + tr.textContent).toLowerCase().indexOf(q) < 0;
      });
    });
  });
  // `#select=EVENT-ID` or `#select=EVENT.TYPE` selects that card (the first of the type).
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    if (h.indexOf("select=") !== 0) return;
    var v = h.slice(7), cards = document.querySelectorAll(".card"), i;
    for (i = 0; i < cards.length; i++) if (cards[i].dataset.ev === v) return select(cards[i], true);
    for (i = 0; i < cards.length; i++) if (cards[i].dataset.type === v) return select(cards[i], true);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
