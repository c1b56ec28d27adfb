// The import pages: a too-large file is refused before it is sent, and a running import's progress is polled.
(function () {
  const upload = document.querySelector('form[data-max-bytes]');
  if (upload) {
    const input = upload.querySelector('input[type=file]');
    const message = document.getElementById('file-error');
    const max = Number(upload.dataset.maxBytes);
    input.addEventListener('change', () => {
      const file = input.files[0];
      const tooBig = file && file.size > max;
      input.setCustomValidity(tooBig ? `${file.name} is ${Math.ceil(file.size / 1048576)} MB; the limit is ${Math.floor(max / 1048576)} MB.` : '');
      input.setAttribute('aria-invalid', tooBig ? 'true' : 'false');
      if (message) message.textContent = input.validationMessage;
    });
  }

  const progress = document.querySelector('[data-progress]');
  if (!progress) return;
  const number = n => n.toLocaleString('en');
  const poll = async () => {
    try {
      const response = await fetch(progress.dataset.progress, { headers: { Accept: 'application/json' } });
      if (!response.ok) return setTimeout(poll, 2000);
      const p = await response.json();
      if (p.state !== 'running') return location.reload();
      const bar = progress.querySelector('progress');
      bar.max = Math.max(1, p.total);
      bar.value = p.done;
      progress.querySelector('[data-done]').textContent = number(p.done);
      progress.querySelector('[data-total]').textContent = number(p.total);
      progress.querySelector('[data-rate]').textContent = number(p.rowsPerSecond);
    } catch {
      // The server restarting or the network dropping: keep trying.
    }
    setTimeout(poll, 500);
  };
  setTimeout(poll, 300);
})();
