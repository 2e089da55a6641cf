//! The page: a sign-in form, and links to the user's files that go through the gateway.

/// HTML-escapes `s` (user names are checked, file names are the operator's; escaped anyway).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page for `user` (signed in) or the sign-in form, listing `files`.
pub(crate) fn render(provider: &str, user: Option<&str>, files: &[String]) -> String {
    let mut body = String::new();
    match user {
        None => body.push_str(
            r#"<p id="who" data-state="anonymous">Not signed in.</p>
<form method="post" action="/login">
  <label>User <input id="user" name="user" pattern="[a-z0-9]{1,32}" required></label>
  <button id="login" type="submit">Sign in</button>
</form>"#,
        ),
        Some(user) => {
            let user = escape(user);
            body.push_str(&format!(
                "<p id=\"who\" data-state=\"signed-in\">Signed in as {user}.</p>\n<ul>\n"
            ));
            for (i, f) in files.iter().enumerate() {
                let f = escape(f);
                body.push_str(&format!(
                    "  <li><a id=\"file-{i}\" href=\"/v1/{provider}/users/{user}/{f}\">{f}</a></li>\n"
                ));
            }
            body.push_str(&format!(
                "  <li><a id=\"foreign\" href=\"/v1/{provider}/users/someone-else/{}\">someone else's {}</a> (the gateway refuses it)</li>\n</ul>",
                files.first().map(|f| escape(f)).unwrap_or_default(),
                files.first().map(|f| escape(f)).unwrap_or_default(),
            ));
        }
    }
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Downloads through presign serve</title></head>
<body>
<h1>Downloads through the signing gateway</h1>
{body}
<p>Each link asks the gateway, which checks the JWT cookie and the rules, signs a URL valid for
a minute and answers <code>303 See Other</code> with <code>Referrer-Policy: no-referrer</code>:
the browser follows it straight to the storage service, and this page's address never reaches
the storage host.</p>
</body></html>
"#
    )
}
