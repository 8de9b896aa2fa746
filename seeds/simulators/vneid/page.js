// The simulated VNeID login page: pick a demo citizen or type a personal ID, then the demo password.
const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage({ uid, citizens = [], password = '', error = '', id = '' }) {
  const choices = citizens
    .map(
      (c, i) => `<label class="citizen"><input type="radio" name="citizen" value="${escape(c.id)}"${
        (id ? id === c.id : i === 0) ? ' checked' : ''
      }> <b>${escape(c.name)}</b><br><small>${escape(c.id)}</small></label>`,
    )
    .join('');
  const form = uid
    ? `<form method="post" action="/interaction/${escape(uid)}/login">
  <fieldset><legend>Công dân dùng thử / Demo citizens</legend>${choices}</fieldset>
  <label for="so_dinh_danh">Hoặc nhập số định danh cá nhân / Or type a personal ID</label>
  <input id="so_dinh_danh" name="so_dinh_danh" inputmode="numeric" maxlength="12" autocomplete="off">
  <label for="password">Mật khẩu / Password</label>
  <input id="password" name="password" type="password" value="${escape(password)}" required>
  <p class="hint">Mật khẩu dùng thử / demo password: <code>${escape(password)}</code></p>
  <button type="submit">Đăng nhập / Sign in</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button class="link" type="submit">Hủy / Cancel</button></form>`
    : '';
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>VNeID (mô phỏng)</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
header{background:#c8102e;color:#fff;padding:12px 16px;font-weight:600}
main{max-width:420px;margin:0 auto;padding:16px}
fieldset{border:1px solid #ccd;border-radius:6px;padding:8px 12px;margin:0 0 12px}
.citizen{display:block;padding:6px 0}
label{display:block;margin:8px 0 4px}
input[type=password],input[inputmode]{width:100%;box-sizing:border-box;padding:10px;font-size:16px}
button{margin-top:12px;width:100%;padding:12px;font-size:16px;background:#c8102e;color:#fff;border:0;border-radius:6px}
button.link{background:none;color:#c8102e}
.error{background:#fde8e8;border:1px solid #c8102e;padding:8px;border-radius:6px}
.hint{color:#555;font-size:14px}
</style></head>
<body><header>VNeID (mô phỏng) · Định danh điện tử</header><main>
<h1>Đăng nhập / Sign in</h1>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
${form}
</main></body></html>`;
}
