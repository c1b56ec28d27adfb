// Pipeline board: drag a card to another column (or pick a stage in the card's select) to move the deal. Won asks to
// confirm, Lost asks for the reason; the column totals come back from the server with every move; the last move can be
// undone. Without this script each card's form still moves its deal.
(function () {
  const board = document.querySelector('.board');
  if (!board) return;
  const token = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value;
  const undoBar = document.querySelector('.undo-bar');
  const filters = () => new URLSearchParams(location.search);
  let dragged = null;
  let last = null;
  let busy = false;

  board.addEventListener('dragstart', e => {
    dragged = e.target.closest('.deal-card');
    if (!dragged) return;
    dragged.classList.add('dragging');
    e.dataTransfer.setData('text/plain', dragged.dataset.id);
  });
  board.addEventListener('dragend', e => {
    e.target.closest?.('.deal-card')?.classList.remove('dragging');
    board.querySelectorAll('.column.over').forEach(c => c.classList.remove('over'));
  });
  board.querySelectorAll('.column').forEach(column => {
    column.addEventListener('dragover', e => { e.preventDefault(); column.classList.add('over'); });
    column.addEventListener('dragleave', () => column.classList.remove('over'));
    column.addEventListener('drop', async e => {
      e.preventDefault();
      column.classList.remove('over');
      const card = dragged;
      dragged = null;
      if (!card || card.closest('.column') === column) return;
      await move(card, column.dataset.stage, true);
    });
  });
  board.addEventListener('change', async e => {
    const select = e.target.closest('.deal-card select');
    if (!select) return;
    const card = select.closest('.deal-card');
    const current = card.closest('.column').dataset.stage;
    if (!(await move(card, select.value, true))) select.value = current;
  });
  board.addEventListener('click', async e => {
    const more = e.target.closest('button.more');
    if (more) await showMore(more);
  });
  undoBar?.querySelector('.undo').addEventListener('click', async () => {
    if (!last) return;
    const { card, from, reason } = last;
    last = null;
    undoBar.classList.remove('show');
    await move(card, from, false, reason);
  });

  // Asks what a closing move needs: a confirmation for Won, a reason for Lost. Resolves to null when cancelled.
  function ask(outcome, name) {
    if (outcome !== 'won' && outcome !== 'lost') return Promise.resolve({});
    const dialog = document.getElementById(outcome + '-dialog');
    dialog.querySelector('.dialog-deal').textContent = name;
    const select = dialog.querySelector('select');
    if (select) select.value = '';
    return new Promise(resolve => {
      dialog.addEventListener('close', () => {
        if (dialog.returnValue !== 'confirm') resolve(null);
        else resolve(select ? { lostReason: select.value } : {});
      }, { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  async function move(card, stageId, askFirst, reason) {
    if (busy) return false;
    const column = board.querySelector(`.column[data-stage="${stageId}"]`);
    if (!column) return false;
    const extra = askFirst ? await ask(column.dataset.outcome, card.dataset.name) : { lostReason: reason || '' };
    if (extra === null) return false;
    busy = true;
    try {
      const from = card.closest('.column');
      const body = new URLSearchParams({ dealId: card.dataset.id, stageId, version: card.dataset.version, lostReason: extra.lostReason || '' });
      const query = filters();
      query.set('handler', 'Move');
      const response = await fetch('/Pipeline?' + query, { method: 'POST', body, headers: { 'RequestVerificationToken': token() } });
      const result = await response.json().catch(() => ({ message: 'The move failed.' }));
      if (!response.ok) { tell(result.message || 'The move failed.', false); return false; }
      const previousReason = card.dataset.lostReason;
      column.querySelector('.cards').prepend(card);
      card.dataset.version = result.version;
      card.dataset.lostReason = result.lostReason || '';
      card.querySelector('select').value = stageId;
      card.querySelector('.days').textContent = '0 d in stage';
      card.classList.remove('overdue');
      card.querySelector('.stale')?.remove();
      card.querySelector('.badge.lost')?.remove();
      result.totals.forEach(update);
      if (askFirst) {
        last = { card, from: from.dataset.stage, reason: previousReason };
        tell(`${card.dataset.name} moved to ${result.stage}.`, true);
      } else {
        tell(`${card.dataset.name} is back in ${result.stage}.`, false);
      }
      return true;
    } finally {
      busy = false;
    }
  }

  function update(totals) {
    const column = board.querySelector(`.column[data-stage="${totals.stage}"]`);
    if (!column) return;
    column.querySelector('.count').textContent = totals.count;
    column.querySelector('.sum').textContent = totals.sum;
    column.querySelector('.weighted').textContent = totals.weighted + ' weighted';
    const mark = column.querySelector('.unconverted');
    mark.hidden = !totals.unconverted;
    mark.title = totals.unconverted || '';
    const more = column.querySelector('button.more');
    if (more) more.dataset.total = totals.count;
  }

  function tell(text, canUndo) {
    if (!undoBar) return;
    undoBar.querySelector('.undo-text').textContent = text;
    undoBar.querySelector('.undo').hidden = !canUndo;
    undoBar.classList.add('show');
  }

  async function showMore(button) {
    const column = button.closest('.column');
    const query = filters();
    query.set('handler', 'Cards');
    query.set('pipeline', board.dataset.pipeline);
    query.set('stage', column.dataset.stage);
    query.set('skip', column.querySelectorAll('.deal-card').length);
    button.disabled = true;
    const response = await fetch('/Pipeline?' + query);
    button.disabled = false;
    if (!response.ok) { tell('Could not load more deals.', false); return; }
    const holder = document.createElement('div');
    holder.innerHTML = await response.text();
    const cards = column.querySelector('.cards');
    holder.querySelectorAll('.deal-card').forEach(card => { if (!cards.querySelector(`[data-id="${card.dataset.id}"]`)) cards.append(card); });
    const shown = cards.querySelectorAll('.deal-card').length;
    const left = Number(button.dataset.total) - shown;
    if (left <= 0 || holder.querySelectorAll('.deal-card').length === 0) button.remove();
    else button.textContent = `Show more (${left})`;
  }
})();
