/* 查找单位: filter the agency select as the citizen types.
 *
 * Served from this site (the CSP allows no inline or third-party script). Without
 * JavaScript the "查找" button posts the words and the server narrows the list; with
 * it, the list narrows at once: an agency is kept when its name contains the words,
 * together with its group (optgroup) and the agency already chosen. The full list is
 * kept aside and restored when the box is emptied.
 */
(function () {
  "use strict";

  function normalise(text) {
    return text.replace(/[\s\u3000]+/g, "").toLowerCase();
  }

  function setUp(input) {
    var select = document.getElementById(input.getAttribute("data-filters"));
    if (!select) return;
    var status = document.getElementById("agency-filter-status");
    var groups = Array.prototype.map.call(select.children, function (node) {
      return {
        node: node,
        options: node.tagName === "OPTGROUP" ? Array.prototype.slice.call(node.children) : null,
      };
    });

    function filter() {
      var words = normalise(input.value);
      var chosen = select.value;
      var shown = 0;
      while (select.firstChild) select.removeChild(select.firstChild);
      groups.forEach(function (group) {
        if (!group.options) {  // the empty choice ("请选择…") always stays
          select.appendChild(group.node);
          return;
        }
        var keep = group.options.filter(function (option) {
          return !words || option.value === chosen || normalise(option.text).indexOf(words) !== -1;
        });
        while (group.node.firstChild) group.node.removeChild(group.node.firstChild);
        keep.forEach(function (option) { group.node.appendChild(option); });
        if (keep.length) select.appendChild(group.node);
        shown += keep.length;
      });
      select.value = chosen;
      if (status) {
        status.textContent = words ? (input.getAttribute("data-found") || "").replace("%s", shown) : "";
      }
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // filtering is instant: Enter must not post the form
        event.preventDefault();
        select.focus();
      }
    });
    if (input.value) filter();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filters]"), setUp);
  });
})();
