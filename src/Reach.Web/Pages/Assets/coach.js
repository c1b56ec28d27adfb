// The email coach, live, on any page (docs/coach.md).
//
// Every <textarea data-coach> gets coached as you type: a countdown of characters left, a score, the draft with
// each finding's span marked, and the findings with their suggestions. To use it on another page (a sequence
// step's template, a reply box), put data-coach on the textarea, inside a <form method="post"> (Razor adds the
// antiforgery token the scoring call needs). Optional attributes:
//   data-coach-subject="ID"  the subject <input> scored together with the body;
//   data-coach-panel="ID"    the element to render the coaching into (default: a panel right after the textarea).
// Scoring is POST /Coach?handler=Score (the signed-in session, antiforgery header), the same engine and JSON as
// POST /api/v1/coach. Textareas added to the page later are picked up too. Progressive enhancement: without this
// file the textarea is a plain textarea.
(function () {
  const verdicts = { empty: 'Start typing', ready: 'Ready to send', needs_work: 'Needs work', rewrite: 'Rewrite it' };
  const rank = { tip: 0, warning: 1, problem: 2 };

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const coached = new WeakSet();
  const scan = root => root.querySelectorAll?.('textarea[data-coach]').forEach(area => { if (!coached.has(area)) { coached.add(area); setUp(area); } });
  scan(document);
  // Editors added later (a sequence's new step, a dialog) are coached too.
  new MutationObserver(changes => changes.forEach(c => c.addedNodes.forEach(node => {
    if (node.nodeType !== 1) return;
    if (node.matches('textarea[data-coach]')) scan(node.parentNode || document); else scan(node);
  }))).observe(document.body, { childList: true, subtree: true });

  function setUp(area) {
    const subject = area.dataset.coachSubject ? document.getElementById(area.dataset.coachSubject) : null;
    let host = area.dataset.coachPanel ? document.getElementById(area.dataset.coachPanel) : null;
    if (!host) {
      host = el('section', 'coach-panel');
      host.setAttribute('aria-label', 'Coaching');
      area.insertAdjacentElement('afterend', host);
    }
    host.querySelectorAll('[data-coach-static]').forEach(node => node.remove());
    const panel = el('div', 'coach');
    const count = el('p', 'coach-count');
    count.setAttribute('aria-live', 'polite');
    const score = el('p', 'coach-score');
    const marked = el('div', 'coach-marked');
    marked.setAttribute('aria-label', 'Your draft with the findings marked');
    const list = el('ol', 'coach-findings');
    const status = el('p', 'coach-status muted');
    panel.append(count, score, marked, list, status);
    host.append(panel);

    const token = () => (area.form || document).querySelector('input[name="__RequestVerificationToken"]')?.value
      || document.querySelector('input[name="__RequestVerificationToken"]')?.value || '';
    let timer = 0;
    let sent = 0;

    async function coachNow() {
      const mine = ++sent;
      const draft = { subject: subject ? subject.value : '', body: area.value };
      let response;
      try {
        response = await fetch('/Coach?handler=Score', {
          method: 'POST',
          body: new URLSearchParams(draft),
          headers: { 'RequestVerificationToken': token() },
          credentials: 'same-origin',
        });
      } catch {
        if (mine === sent) status.textContent = 'The coach is not reachable; your draft is unchanged.';
        return;
      }
      if (mine !== sent) return; // a newer keystroke's answer is on its way
      const result = await response.json().catch(() => null);
      if (!response.ok || !result) {
        status.textContent = result?.message || 'The coach could not score this draft.';
        return;
      }
      status.textContent = '';
      render(result, draft);
    }

    function render(report, draft) {
      const left = report.charactersLeft;
      count.classList.toggle('over', left < 0);
      count.replaceChildren(el('b', '', String(Math.abs(left))), document.createTextNode(left < 0 ? ' characters over' : ' characters left'));
      score.className = 'coach-score verdict-' + report.verdict;
      score.replaceChildren(el('b', '', String(report.score)), document.createTextNode(' / 100 · ' + (verdicts[report.verdict] || report.verdict)));

      const findings = report.findings.map((f, i) => ({ ...f, n: i + 1 }));
      marked.replaceChildren(...segments(draft.body, findings.filter(f => f.field === 'body' && f.length > 0)));
      marked.hidden = draft.body.trim() === '';

      list.replaceChildren(...findings.map(f => {
        const item = el('li', 'sev-' + f.severity);
        item.dataset.rule = f.rule;
        item.append(el('span', 'badge', f.severity), ' ', el('b', '', f.message), ' ');
        if (f.excerpt) item.append(el('q', '', f.excerpt), ' ');
        item.append(el('span', 'coach-suggestion', f.suggestion));
        const show = el('button', 'secondary coach-show', 'Show');
        show.type = 'button';
        show.setAttribute('aria-label', 'Select it in the ' + f.field);
        show.addEventListener('click', () => {
          const target = f.field === 'subject' ? subject : area;
          if (!target || target.value !== (f.field === 'subject' ? draft.subject : draft.body)) return;
          target.focus();
          target.setSelectionRange(f.start, f.start + f.length);
        });
        item.append(' ', show);
        return item;
      }));
      if (!findings.length && report.verdict === 'ready') list.replaceChildren(el('li', 'coach-clean', 'Nothing to fix: short, one ask, a reason, written as a peer.'));
    }

    // The body split where spans start and end; each piece inside a finding or more is a <mark>.
    function segments(text, findings) {
      const cuts = new Set([0, text.length]);
      findings.forEach(f => { cuts.add(f.start); cuts.add(Math.min(text.length, f.start + f.length)); });
      const points = [...cuts].sort((a, b) => a - b);
      const nodes = [];
      for (let i = 0; i < points.length - 1; i++) {
        const [from, to] = [points[i], points[i + 1]];
        const piece = text.slice(from, to);
        const covering = findings.filter(f => f.start <= from && f.start + f.length >= to);
        if (!covering.length) { nodes.push(document.createTextNode(piece)); continue; }
        // The narrowest finding colours the piece (a phrase stays visible inside a flagged sentence);
        // a wider problem around it still shows as a red underline.
        const narrowest = covering.reduce((a, b) => b.length < a.length || (b.length === a.length && rank[b.severity] > rank[a.severity]) ? b : a);
        const mark = el('mark', 'sev-' + narrowest.severity, piece);
        if (covering.some(f => f !== narrowest && f.severity === 'problem')) mark.classList.add('in-problem');
        mark.dataset.rules = [...new Set(covering.map(f => f.rule))].join(' ');
        mark.title = covering.map(f => f.message).join('\n');
        nodes.push(mark);
      }
      return nodes;
    }

    const schedule = () => { clearTimeout(timer); timer = setTimeout(coachNow, 150); };
    area.addEventListener('input', schedule);
    subject?.addEventListener('input', schedule);
    coachNow();
  }
})();
