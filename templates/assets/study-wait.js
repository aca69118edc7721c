// The lesson page's countdown: the page already says how long remains (server-rendered);
// this keeps the figure current and shows the "done" button when the time has passed.
// Without it the learner reloads the page, and the server decides either way.
(() => {
  const box = document.getElementById('study-wait');
  const form = document.getElementById('study-done');
  if (!box || !form) return;
  const until = Date.now() + Number(box.dataset.remaining) * 1000;
  const text = (s) => {
    const m = Math.floor(s / 60);
    return box.dataset.template.replace('{m}', String(m)).replace('{s}', String(s % 60));
  };
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      box.firstChild.textContent = text(left) + ' ';
      return setTimeout(tick, 1000);
    }
    box.textContent = box.dataset.ready;
    form.hidden = false;
  };
  tick();
})();
