// Progressive enhancement only: every form works without this file.
(function () {
  const token = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value;

  // Validate as you type with the rules the server checks (rendered as HTML attributes from the same DataAnnotations).
  document.querySelectorAll('form[data-validate] [name]').forEach(field => {
    const message = document.getElementById(field.getAttribute('aria-describedby') || '');
    const check = () => {
      if (!field.willValidate) return;
      const ok = field.checkValidity();
      field.setAttribute('aria-invalid', ok ? 'false' : 'true');
      if (message) message.textContent = ok ? '' : field.validationMessage;
    };
    field.addEventListener('input', check);
    field.addEventListener('blur', check);
  });

  const toast = document.querySelector('.toast');
  const say = text => { if (!toast) return; toast.textContent = text; toast.classList.add('show'); setTimeout(() => toast.classList.remove('show'), 4000); };

  // Pipeline board: drag a card to another column to move the deal; the select on each card does the same from the keyboard.
  const board = document.querySelector('.board');
  if (!board) return;
  let dragged = null;
  board.addEventListener('dragstart', e => { dragged = e.target.closest('.deal-card'); dragged?.classList.add('dragging'); e.dataTransfer.setData('text/plain', dragged?.dataset.id || ''); });
  board.addEventListener('dragend', () => { dragged?.classList.remove('dragging'); document.querySelectorAll('.column.over').forEach(c => c.classList.remove('over')); });
  board.querySelectorAll('.column').forEach(column => {
    column.addEventListener('dragover', e => { e.preventDefault(); column.classList.add('over'); });
    column.addEventListener('dragleave', () => column.classList.remove('over'));
    column.addEventListener('drop', async e => {
      e.preventDefault();
      column.classList.remove('over');
      if (!dragged || dragged.closest('.column') === column) return;
      await move(dragged, column.dataset.stage);
    });
  });
  board.querySelectorAll('.deal-card select').forEach(select => select.addEventListener('change', async () => {
    await move(select.closest('.deal-card'), select.value);
  }));

  async function move(card, stageId) {
    const from = card.closest('.column');
    const body = new URLSearchParams({ dealId: card.dataset.id, stageId, version: card.dataset.version });
    const response = await fetch('/Pipeline?handler=Move', { method: 'POST', body, headers: { 'RequestVerificationToken': token() } });
    const result = await response.json().catch(() => ({ message: 'The move failed.' }));
    if (!response.ok) { say(result.message || 'The move failed.'); return; }
    const target = board.querySelector(`.column[data-stage="${stageId}"] .cards`);
    target.prepend(card);
    card.dataset.version = result.version;
    card.querySelector('select').value = stageId;
    card.querySelector('.days').textContent = '0 d in stage';
    [from, target.closest('.column')].forEach(total);
    say(`${card.dataset.name} moved to ${result.stage}.`);
  }

  function total(column) {
    const cards = [...column.querySelectorAll('.deal-card')];
    column.querySelector('.count').textContent = cards.length;
  }
})();
