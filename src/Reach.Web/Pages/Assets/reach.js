// Progressive enhancement only: every form works without this file.
(function () {
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
})();

// Planner: the form is turned into the plan's JSON (the shape of a plan file) and evaluated by the server on every
// change; the results (the same tables as `reach plan`) and the YAML box are redrawn without a reload.
(function () {
  const form = document.querySelector('form[data-plan-form]');
  if (!form) return;
  const results = document.getElementById('plan-results');
  const yamlBox = document.getElementById('plan-yaml');
  const token = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value;
  const salesFields = ['rep_cost_per_year', 'deals_per_rep_per_year', 'ramp_months', 'win_rate', 'lead_to_opportunity', 'cost_per_lead', 'start_reps', 'max_hires_per_month', 'annual_attrition', 'reference_acv', 'effort_exponent'];
  // The fields each kind of channel takes; name, kind, cycle and the ACV range apply to all.
  const kindFields = { self_service: ['acquisition_cost'], inside: salesFields, field: salesFields, partner: ['win_rate', 'commission', 'commission_years', 'cost_per_deal', 'ramp_months', 'partners', 'deals_per_partner_per_year'] };
  const kindSpecific = new Set(Object.values(kindFields).flat());

  // Numbers go as numbers; anything else goes as typed, so the server's error names the field and what is wrong.
  const value = text => { const t = text.trim(); return t !== '' && !isNaN(Number(t)) ? Number(t) : t; };
  const set = (target, path, v) => { const keys = path.split('.'); let o = target; keys.slice(0, -1).forEach(k => { o = o[k] = o[k] || {}; }); o[keys[keys.length - 1]] = v; };

  function planOf() {
    const plan = {};
    form.querySelectorAll(':scope > .row [data-key]').forEach(input => { if (input.value.trim() !== '') set(plan, input.dataset.key, value(input.value)); });
    plan.channels = [...form.querySelectorAll('[data-rows="channels"] [data-row]')].map(row => {
      const channel = {};
      row.querySelectorAll('[data-key]').forEach(input => { if (!input.disabled && input.value.trim() !== '') channel[input.dataset.key] = input.dataset.key === 'name' || input.dataset.key === 'kind' ? input.value.trim() : value(input.value); });
      return channel;
    });
    plan.segments = [...form.querySelectorAll('[data-rows="segments"] [data-row]')].map(row => {
      const segment = {};
      row.querySelectorAll('[data-key]').forEach(input => {
        const key = input.dataset.key, text = input.value.trim();
        if (key === 'employees_min' || key === 'employees_max') return;
        if (text !== '') segment[key] = key === 'name' ? text : value(text);
      });
      const min = row.querySelector('[data-key="employees_min"]').value.trim(), max = row.querySelector('[data-key="employees_max"]').value.trim();
      if (min !== '' || max !== '') segment.employees = [min === '' ? '' : value(min), max === '' ? null : value(max)];
      return segment;
    });
    const scenario = (form.dataset.scenario || '').split('\n').filter(Boolean);
    if (scenario.length) plan.scenario = scenario;
    return plan;
  }

  function fitKind(row) {
    const own = kindFields[row.querySelector('[data-key="kind"]').value] || [];
    row.querySelectorAll('[data-key]').forEach(input => {
      if (kindSpecific.has(input.dataset.key)) input.disabled = !own.includes(input.dataset.key);
    });
  }

  let timer = null, sent = 0;
  async function evaluate() {
    const mine = ++sent;
    const body = new URLSearchParams({ plan: JSON.stringify(planOf()) });
    const response = await fetch('/Planner?handler=Evaluate', { method: 'POST', body, headers: { 'RequestVerificationToken': token() } });
    if (mine !== sent) return; // a later change is on its way
    if (!response.ok) { results.innerHTML = '<div class="alert" role="alert">The planner could not evaluate the plan (' + response.status + ').</div>'; return; }
    results.innerHTML = await response.text();
    const yaml = results.querySelector('[data-plan-yaml]');
    if (yaml && yamlBox && document.activeElement !== yamlBox) yamlBox.value = yaml.value;
    results.dataset.evaluated = String(mine);
  }
  const soon = () => { clearTimeout(timer); timer = setTimeout(evaluate, 250); };

  // A recommendation's button adds it to the scenario (or takes it out); the scenario is a second plan beside this one.
  results.addEventListener('click', e => {
    const clear = e.target.closest('[data-apply-clear]');
    const apply = e.target.closest('[data-apply]');
    if (!clear && !apply) return;
    const scenario = (form.dataset.scenario || '').split('\n').filter(Boolean);
    const next = clear ? [] : scenario.includes(apply.dataset.apply) ? scenario.filter(a => a !== apply.dataset.apply) : [...scenario, apply.dataset.apply];
    form.dataset.scenario = next.join('\n');
    evaluate();
  });
  form.addEventListener('input', soon);
  form.addEventListener('change', e => { if (e.target.dataset.key === 'kind') fitKind(e.target.closest('[data-row]')); soon(); });
  form.addEventListener('click', e => {
    const remove = e.target.closest('[data-remove]');
    if (remove) { remove.closest('[data-row]').remove(); soon(); return; }
    const add = e.target.closest('[data-add]');
    if (add) {
      const template = document.getElementById(add.dataset.add === 'channels' ? 'channel-row' : 'segment-row');
      form.querySelector(`[data-rows="${add.dataset.add}"]`).append(template.content.cloneNode(true));
      soon();
    }
  });
})();

// Quick add: "n" (outside a field) or Alt+N opens the "+ New" menu from any page; Escape closes it.
(function () {
  const menu = document.getElementById('quick-add');
  if (!menu) return;
  document.addEventListener('keydown', e => {
    const typing = e.target.closest('input, textarea, select, [contenteditable]');
    if ((e.key === 'n' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) || (e.altKey && e.code === 'KeyN')) {
      e.preventDefault();
      menu.open = true;
      menu.querySelector('.menu a')?.focus();
    } else if (e.key === 'Escape' && menu.open) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
  });
  // Said once the shortcut listens, so a test (or an assistive script) need not guess when the deferred script has run.
  menu.dataset.shortcut = 'ready';
})();

// Lists: "select all" ticks every row's box; the bulk bar says how many are selected.
(function () {
  document.querySelectorAll('input[data-select-all]').forEach(all => {
    const form = document.getElementById(all.dataset.selectAll);
    const boxes = () => [...document.querySelectorAll(`input[type=checkbox][name=ids][form="${form.id}"]`)];
    const count = form.querySelector('[data-selected]');
    const update = () => { if (count) count.textContent = boxes().filter(b => b.checked).length + ' selected'; };
    all.addEventListener('change', () => { boxes().forEach(b => { b.checked = all.checked; }); update(); });
    boxes().forEach(b => b.addEventListener('change', update));
  });
})();

// Bulk move: the lost reason is asked for (and required) only when the chosen stage is a lost one, as on the board.
(function () {
  const stage = document.querySelector('select[data-lost-stages]');
  const field = document.querySelector('[data-lost-reason]');
  if (!stage || !field) return;
  const lost = stage.dataset.lostStages.split(' ');
  const reason = field.querySelector('select');
  const update = () => {
    const asked = lost.includes(stage.value);
    field.hidden = !asked;
    reason.required = asked;
  };
  stage.addEventListener('change', update);
  update();
})();

// Lead conversion: choosing another account lists that account's contacts at once (the button that reloads the page
// for them is the way without this script).
(function () {
  const account = document.querySelector('select[data-contacts-from]');
  if (!account) return;
  const contact = document.getElementById(account.dataset.contactsFor);
  document.querySelectorAll('[data-contacts-reload]').forEach(b => { b.hidden = true; });
  account.addEventListener('change', async () => {
    const first = contact.options[0];
    contact.replaceChildren(first);
    contact.value = '';
    if (!account.value) return;
    const response = await fetch(account.dataset.contactsFrom + encodeURIComponent(account.value), { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    for (const c of await response.json()) contact.add(new Option(c.name, c.id));
    contact.dataset.loaded = account.value;
  });
})();

// Scheduling: the label and the button name what is scheduled ("Next call", "Schedule call") as the type changes.
(function () {
  document.querySelectorAll('select[data-schedule-type]').forEach(type => {
    const form = type.closest('form');
    type.addEventListener('change', () => {
      const noun = type.selectedOptions[0].dataset.noun;
      form.querySelectorAll('[data-schedule-noun]').forEach(s => { s.textContent = noun; });
    });
  });
})();

// A form that came back with errors: its first invalid field gets the focus (inside a closed section, that opens), so
// a keyboard or screen-reader user lands on it and hears its message (aria-describedby).
(function () {
  const first = document.querySelector('[aria-invalid="true"]');
  if (!first) return;
  for (let d = first.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
  first.focus();
})();
