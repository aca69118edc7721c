// The exam page's helpers; without them the page is a plain form that still saves.
// - autosave: every change is queued in localStorage and sent one answer at a time;
// - offline: the queue survives a dropped connection and a reload, and is retried;
// - time: counts down from the server's deadline, corrected by the server–client offset;
// - submit: a dialog that lists the unanswered questions.
(() => {
  const root = document.querySelector('.exam');
  if (!root) return;
  const id = root.dataset.attempt;
  const msg = root.dataset;
  const status = document.getElementById('exam-status');
  const storeKey = 'sa-exam:' + id;
  let state = { seq: 0, pending: {} };
  try {
    state = JSON.parse(localStorage.getItem(storeKey)) || state;
  } catch {
    /* a broken store starts empty */
  }
  const questions = [...document.querySelectorAll('.question[data-slot]')];
  for (const q of questions) state.seq = Math.max(state.seq, Number(q.dataset.seq) || 0);
  const persist = () => {
    try {
      if (Object.keys(state.pending).length) localStorage.setItem(storeKey, JSON.stringify(state));
      else localStorage.removeItem(storeKey);
    } catch {
      /* private mode: the queue lives in memory only */
    }
  };
  const say = (text) => (status.textContent = text);
  const inputsOf = (q) => {
    const name = 's' + q.dataset.slot;
    return [...q.querySelectorAll(`[name="${name}"], [name^="${name}."]`)];
  };
  const partOf = (input, q) => input.name.slice(('s' + q.dataset.slot).length + 1);

  // The response the inputs hold, shaped as the API expects it (question-form.ts).
  function read(q) {
    const inputs = inputsOf(q);
    switch (q.dataset.kind) {
      case 'choice': {
        const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
        if (inputs[0]?.type === 'checkbox') return chosen.length ? chosen : null;
        return chosen[0] ?? null;
      }
      case 'boolean': {
        const chosen = inputs.find((i) => i.checked);
        return chosen ? chosen.value === 'true' : null;
      }
      case 'number': {
        const text = inputs[0].value.trim().replace(',', '.');
        return text === '' ? null : Number(text);
      }
      case 'match': {
        const pairs = {};
        for (const s of inputs) if (s.value) pairs[partOf(s, q)] = s.value;
        return Object.keys(pairs).length ? pairs : null;
      }
      case 'order': {
        const order = inputs.map((s) => s.value);
        return order.some(Boolean) ? order : null;
      }
      case 'cloze': {
        // Drop-downs and radios give an option id, typed blanks { text }.
        const blanks = {};
        for (const input of inputs) {
          if (input.type === 'radio' && !input.checked) continue;
          if (!input.value.trim()) continue;
          blanks[partOf(input, q)] = input.type === 'text' ? { text: input.value } : input.value;
        }
        return Object.keys(blanks).length ? blanks : null;
      }
      default:
        return inputs[0].value.trim() ? inputs[0].value : null;
    }
  }

  // Puts a queued response back into the inputs after a reload.
  function write(q, response) {
    const inputs = inputsOf(q);
    const kind = q.dataset.kind;
    inputs.forEach((input, i) => {
      if (kind === 'choice' || kind === 'boolean')
        input.checked = Array.isArray(response)
          ? response.includes(input.value)
          : String(response) === input.value;
      else if (kind === 'match') input.value = (response && response[partOf(input, q)]) || '';
      else if (kind === 'order') input.value = (response && response[i]) || '';
      else if (kind === 'cloze') {
        const given = response ? response[partOf(input, q)] : undefined;
        if (input.type === 'radio') input.checked = given === input.value;
        else if (input.type === 'text')
          input.value = given && given.text !== undefined ? given.text : (given ?? '');
        else input.value = given ?? '';
      } else input.value = response ?? '';
    });
  }

  function markNav(slot) {
    const q = document.getElementById('q' + slot);
    const link = document.querySelector(`[data-nav="${slot}"]`);
    if (!q || !link) return;
    const flag = q.querySelector(`[name="flag${slot}"]`);
    const answered = read(q) !== null;
    const flagged = !!flag?.checked;
    link.classList.toggle('answered', answered);
    link.classList.toggle('flagged', flagged);
    // The link's name says what its colour shows: "Soal 3, dijawab, ditandai".
    link.setAttribute(
      'aria-label',
      `${msg.msgQuestion} ${slot}` +
        (answered ? `, ${msg.msgAnswered}` : '') +
        (flagged ? `, ${msg.msgFlagged}` : ''),
    );
  }

  function queue(slot, patch) {
    state.seq += 1;
    state.pending[slot] = { ...state.pending[slot], ...patch, seq: state.seq };
    persist();
    markNav(slot);
    say(msg.msgSaving);
    flush();
  }

  let flushing = false;
  let retry = null;
  let later = null;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const slot of Object.keys(state.pending)) {
        const entry = state.pending[slot];
        const body = {};
        if ('response' in entry) Object.assign(body, { response: entry.response, seq: entry.seq });
        if ('flagged' in entry) body.flagged = entry.flagged;
        let res;
        try {
          res = await fetch(`/ujian/percobaan/${id}/jawaban/${slot}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-csrf-token': msg.csrf },
            body: JSON.stringify(body),
            credentials: 'same-origin',
          });
        } catch {
          say(msg.msgOffline);
          retry ??= setInterval(flush, 5000);
          return;
        }
        // Paused, answers wait on the device (the page reloads itself until resumed);
        // otherwise a 409 is the end of the time.
        if (res.status === 409) return root.dataset.paused ? say(msg.msgPaused) : timeUp();
        if (res.status === 401 || res.status === 403 || res.redirected) {
          // The session ended (signed out, a password or role change) and the save was sent
          // to the login page: the answer stays queued until the candidate signs in again.
          say(msg.msgSession);
          return;
        }
        if (res.status === 429) {
          // Too many saves at once: the answer stays queued and goes when the server allows.
          say(msg.msgSaving);
          clearTimeout(later);
          later = setTimeout(flush, (Number(res.headers.get('retry-after')) || 5) * 1000);
          return;
        }
        if (res.status >= 500) {
          say(msg.msgOffline);
          retry ??= setInterval(flush, 5000);
          return;
        }
        if (!res.ok) say(msg.msgInvalid); // refused (400): retrying would not help
        if (state.pending[slot] === entry) delete state.pending[slot];
        persist();
      }
      if (!Object.keys(state.pending).length) {
        clearInterval(retry);
        retry = null;
        say(`${msg.msgSaved} ${new Date().toLocaleTimeString()}`);
      }
    } finally {
      flushing = false;
    }
    if (Object.keys(state.pending).length && !retry) flush();
  }

  let finishing = false;
  function timeUp() {
    if (finishing) return;
    finishing = true;
    warn(msg.msgTimeUp, 'up');
    // The result page closes the attempt on the server and says the answers went automatically.
    setTimeout(() => (location.href = `/ujian/percobaan/${id}/hasil`), 800);
  }

  // Time warnings: shown on the page and spoken by screen readers (role=alert), once each.
  const alertBox = document.getElementById('exam-time-alert');
  let warned = '';
  function warn(text, level) {
    if (!alertBox || warned === level) return;
    warned = level;
    alertBox.textContent = text;
    alertBox.dataset.level = level;
    document.getElementById('exam-timer')?.classList.add('timer-low');
  }

  // Answers queued before a reload or a lost connection come back first.
  for (const [slot, entry] of Object.entries(state.pending)) {
    const q = document.getElementById('q' + slot);
    if (q && 'response' in entry) write(q, entry.response);
    const flag = q?.querySelector(`[name="flag${slot}"]`);
    if (flag && 'flagged' in entry) flag.checked = entry.flagged;
    markNav(slot);
  }
  flush();
  addEventListener('online', flush);

  const typing = {};
  function changed(event, slow) {
    const q = event.target.closest('.question[data-slot]');
    if (!q) return;
    const slot = q.dataset.slot;
    if (event.target.name === 'flag' + slot) return queue(slot, { flagged: event.target.checked });
    const response = read(q);
    if (typeof response === 'number' && !Number.isFinite(response)) return say(msg.msgInvalid);
    clearTimeout(typing[slot]);
    if (slow) typing[slot] = setTimeout(() => queue(slot, { response: read(q) }), 700);
    else queue(slot, { response });
  }
  // The sticky bar's height, so focus and jumps stop below it (app.css, scroll-padding-top).
  const bar = root.querySelector('.exam-bar');
  const fitBar = () =>
    document.documentElement.style.setProperty('--exam-bar-height', `${bar.offsetHeight + 8}px`);
  if (bar && window.ResizeObserver) new ResizeObserver(fitBar).observe(bar);
  else if (bar) fitBar();

  const form = document.getElementById('exam-form');
  form.addEventListener('change', (e) => changed(e, false));
  form.addEventListener('input', (e) => {
    if (e.target.matches('input[type=text], textarea')) changed(e, true);
  });

  // Countdown from the server's deadline, in the server's time.
  const timer = document.getElementById('exam-timer');
  const deadline = Date.parse(root.dataset.deadline);
  const offset = Date.parse(root.dataset.serverTime) - Date.now();
  // Paused by the proctor: the clock stands still until the page is loaded resumed.
  if (timer && root.dataset.paused) timer.textContent = msg.msgPaused;
  else if (timer && Number.isFinite(deadline)) {
    const tick = () => {
      const left = Math.max(0, deadline - (Date.now() + offset));
      const s = Math.floor(left / 1000);
      const hh = Math.floor(s / 3600);
      const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
      const ss = String(s % 60).padStart(2, '0');
      timer.textContent = `${msg.msgLeft}: ${hh ? hh + ':' : ''}${mm}:${ss}`;
      if (left === 0) flush().finally(timeUp);
      else if (left <= 60_000) warn(msg.msgWarn1, '1');
      else if (left <= 300_000 && warned !== '1') warn(msg.msgWarn5, '5');
    };
    tick();
    setInterval(tick, 1000);
  }

  // The submit dialog lists what is still unanswered, from the navigation panel.
  const dialog = document.getElementById('exam-dialog');
  document.getElementById('exam-finish').addEventListener('click', (event) => {
    if (!dialog?.showModal) return; // the confirmation page does the same
    event.preventDefault();
    flush();
    const open = [...document.querySelectorAll('[data-nav]')]
      .filter((a) => !a.classList.contains('answered'))
      .map((a) => a.dataset.nav);
    document.getElementById('exam-dialog-text').textContent = open.length
      ? `${msg.msgUnanswered} ${open.join(', ')}`
      : msg.msgAll;
    dialog.showModal();
  });
  document.getElementById('exam-dialog-cancel').addEventListener('click', () => dialog.close());
  // Submit only once every queued answer has reached the server.
  dialog?.querySelector('form').addEventListener('submit', async (event) => {
    if (!Object.keys(state.pending).length) return;
    event.preventDefault();
    await flush();
    if (Object.keys(state.pending).length) say(msg.msgOffline);
    else event.target.submit();
  });
})();
