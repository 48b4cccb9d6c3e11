// A live character count under text areas with data-count-max. Only an aid: the form
// works without it, and the server checks the length whatever this says.
(function () {
  "use strict";
  var lang = document.documentElement.lang;
  function words(left, max) {
    if (lang === "sv") {
      return left >= 0 ? left + " av " + max + " tecken kvar" : (-left) + " tecken för många";
    }
    return left >= 0 ? left + " of " + max + " characters left" : (-left) + " characters too many";
  }
  document.querySelectorAll("textarea[data-count-max]").forEach(function (area) {
    var max = parseInt(area.getAttribute("data-count-max"), 10);
    var output = document.createElement("p");
    output.className = "hint char-count";
    output.id = area.id + "-count";
    output.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", output);
    var timer = null;
    function update() {
      var left = max - area.value.length;
      output.textContent = words(left, max);
      output.classList.toggle("char-count-over", left < 0);
    }
    area.addEventListener("input", function () {
      // Screen readers hear the count once typing pauses, not at every key.
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
    update();
  });
})();
