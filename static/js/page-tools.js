/* The content pages' small tools, in a file of their own (the Content-Security-Policy allows no inline
   script). Everything here only adds to a page that works without it:
   - the 打印 button ([data-print]) is hidden until this script shows it, and prints the page;
   - a 复制链接 link ([data-copy-link]) is a plain link to its paragraph; with the clipboard available,
     a click copies that link's address instead and says so for a few seconds;
   - a heading marked [data-focus-on-arrival] that the address points at (the calculator's answer,
     reached through its form's #fragment) takes the focus, so that a screen reader starts reading
     there; without the script the browser still scrolls to it. */
(function () {
  "use strict";

  var arrival = document.querySelector("[data-focus-on-arrival]");
  if (arrival && window.location.hash === "#" + arrival.id) {
    arrival.focus({ preventScroll: true });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  document.querySelectorAll("[data-copy-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard || !window.isSecureContext) {
        return; // no clipboard here (plain http on another host): follow the link as usual
      }
      event.preventDefault();
      var status = link.parentNode.querySelector(".clause__copy-status");
      navigator.clipboard.writeText(link.href).then(
        function () {
          if (!status) {
            return;
          }
          status.textContent = link.getAttribute("data-copied");
          window.clearTimeout(status.hideTimer);
          status.hideTimer = window.setTimeout(function () {
            status.textContent = "";
          }, 4000);
        },
        function () {
          window.location.href = link.href; // refused: go to the paragraph, as without the script
        }
      );
    });
  });
})();
