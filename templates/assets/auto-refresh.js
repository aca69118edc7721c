// A page that renews itself (the proctor's console, the results board, a paused exam) does
// so here rather than by <meta http-equiv="refresh">, so whoever reads it can stop it and
// keep their place (WCAG 2.2.1). Without JavaScript the layout's <noscript> refresh remains.
(() => {
  const box = document.querySelector('[data-refresh]');
  if (!box) return;
  const ms = Number(box.dataset.refresh) * 1000;
  const button = box.querySelector('button');
  let timer = setTimeout(() => location.reload(), ms);
  button.addEventListener('click', () => {
    const pausing = timer !== null;
    if (pausing) {
      clearTimeout(timer);
      timer = null;
    } else timer = setTimeout(() => location.reload(), ms);
    button.setAttribute('aria-pressed', String(pausing));
  });
  box.hidden = false;
})();
