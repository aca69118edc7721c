// Live preview of the question editor: sends the draft (never saved) and shows the
// candidate's view as the coordinator types. Without JavaScript the "Pratinjau" button does the same.
(() => {
  const form = document.getElementById('question-editor');
  const output = document.getElementById('question-preview');
  if (!form || !output || !window.fetch) return;
  let timer;
  let sent = 0;
  const refresh = async () => {
    const ticket = ++sent;
    const body = new URLSearchParams(new FormData(form));
    try {
      const response = await fetch(form.dataset.preview, {
        method: 'POST',
        body,
        headers: { 'x-csrf-token': body.get('_csrf') || '' },
        credentials: 'same-origin',
      });
      if (response.ok && ticket === sent) output.innerHTML = await response.text();
    } catch {
      // Offline: the preview keeps its last state; saving still works.
    }
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
