// A page that renews itself (the proctor's console, the results board, a paused exam) does
// so here rather than by <meta http-equiv="refresh">, so whoever reads it can stop it and
// keep their place (WCAG 2.2.1). ES5 on purpose: the board runs on old projector PCs.
// Without JavaScript the layout's <noscript> refresh remains.
(function () {
  var box = document.querySelector('[data-refresh]');
  if (!box) return;
  var ms = Number(box.getAttribute('data-refresh')) * 1000;
  var button = box.querySelector('button');
  var reload = function () {
    window.location.reload();
  };
  var timer = setTimeout(reload, ms);
  button.addEventListener('click', function () {
    var pausing = timer !== null;
    if (pausing) {
      clearTimeout(timer);
      timer = null;
    } else timer = setTimeout(reload, ms);
    button.setAttribute('aria-pressed', String(pausing));
  });
  box.hidden = false;
})();
