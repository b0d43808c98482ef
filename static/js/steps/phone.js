// Simulated phone: after a message is sorted, note it in its header and open the next one.
(function () {
  "use strict";
  var phone = document.querySelector("[data-phone]");
  if (!phone) { return; }
  var messages = Array.from(phone.querySelectorAll("[data-message]"));
  var count = phone.querySelector("[data-phone-count]");
  function sortedCount() {
    return messages.filter(function (m) { return m.querySelector("input[type=radio]:checked"); }).length;
  }
  function showCount() {
    count.textContent = count.getAttribute("data-template")
      .replace("{n}", String(sortedCount())).replace("{total}", String(messages.length));
    count.hidden = false;
  }
  messages.forEach(function (message, n) {
    message.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "radio") { return; }
      message.querySelector("[data-sorted]").textContent = input.getAttribute("data-label");
      showCount();
      var next = messages.slice(n + 1).concat(messages.slice(0, n)).find(function (m) {
        return !m.querySelector("input[type=radio]:checked");
      });
      if (next) {
        message.open = false;
        next.open = true;
        next.querySelector("summary").focus();
      }
    });
  });
  showCount();
})();
