// Reveal and copy the access token on the success page. Loaded inline under a CSP hash.
(function () {
  var token = document.getElementById("token");
  var reveal = document.getElementById("reveal");
  var copy = document.getElementById("copy");
  if (!token || !reveal || !copy) return;
  var full = token.getAttribute("data-token");
  var masked = token.textContent;
  reveal.addEventListener("click", function () {
    var hidden = token.textContent === masked;
    token.textContent = hidden ? full : masked;
    reveal.textContent = hidden ? "Hide" : "Reveal";
  });
  copy.addEventListener("click", function () {
    navigator.clipboard.writeText(full).then(function () { copy.textContent = "Copied"; },
      function () { copy.textContent = "Copy failed"; });
  });
})();
