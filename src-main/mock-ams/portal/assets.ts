/** The portal's stylesheet and script, served from /portal/assets/ (the CSP allows only 'self'). */
export const PORTAL_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1f2933; background: #f4f6f8; }
.top { display: flex; justify-content: space-between; padding: 10px 20px; background: #0b4f8a; color: #fff; }
.top a { color: #fff; }
.banner { margin: 0; padding: 6px 20px; background: #fff8e1; border-bottom: 1px solid #f0c36d; font-size: 13px; }
.nav { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; padding: 8px 20px; background: #fff; border-bottom: 1px solid #d0d7de; }
.nav a { white-space: nowrap; }
table + form, table + p { margin-top: 10px; }
td .button { margin: 2px; }
.nav .who { margin-left: auto; color: #616e7c; font-size: 13px; }
.nav form { display: inline; }
main { padding: 16px 20px; max-width: 1100px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; font-size: 14px; }
th { background: #eef2f6; }
.token { font-family: ui-monospace, monospace; font-size: 18px; padding: 10px; background: #fff; border: 1px dashed #0b4f8a; word-break: break-all; }
.ok { color: #1e7b34; font-weight: 600; }
.bad { color: #b42318; }
.muted { color: #616e7c; }
.agreement { height: 140px; overflow-y: scroll; background: #fff; border: 1px solid #d0d7de; padding: 8px 12px; }
.card { background: #fff; border: 1px solid #d0d7de; padding: 12px 16px; margin: 12px 0; }
button, .button { padding: 6px 12px; border: 1px solid #0b4f8a; background: #0b4f8a; color: #fff; border-radius: 3px; cursor: pointer; text-decoration: none; display: inline-block; font-size: 14px; }
button:disabled { background: #9fb3c8; border-color: #9fb3c8; cursor: not-allowed; }
button.secondary { background: #fff; color: #0b4f8a; }
td form { display: inline-block; margin: 2px; }
label { display: block; margin: 8px 0 4px; }
input[type=text], input[type=email], select, textarea { padding: 6px; min-width: 320px; }
fieldset.plain { border: none; padding: 0; margin: 8px 0; }
fieldset.plain legend { padding: 0; margin-bottom: 4px; }
:focus-visible { outline: 2px solid #0b4f8a; outline-offset: 2px; }
.top :focus-visible { outline-color: #fff; }
button:hover:not(:disabled), .button:hover { background: #073861; border-color: #073861; color: #fff; }
`;

export const PORTAL_JS = `
document.addEventListener('DOMContentLoaded', () => {
  const copy = document.getElementById('copy-token');
  if (copy) copy.addEventListener('click', async () => {
    await navigator.clipboard.writeText(document.getElementById('token').textContent.trim());
    document.getElementById('copied').hidden = false;
  });
  const box = document.getElementById('agreement');
  const tick = document.getElementById('agree');
  const submit = document.getElementById('agree-submit');
  if (box && tick && submit) {
    const atEnd = () => box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
    box.addEventListener('scroll', () => { if (atEnd()) tick.disabled = false; });
    tick.addEventListener('change', () => { submit.disabled = !tick.checked; });
  }
});
`;
