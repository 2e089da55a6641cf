"use strict";
// Everything this page does: ask our server who we are and for an upload policy, post the
// file to the bucket with the policy's fields, and link to the download redirect.
const statusLine = document.getElementById("status");
const who = document.getElementById("who");
const link = document.getElementById("download");

function show(element, state, text) {
  element.dataset.state = state;
  element.textContent = text;
}

// The text of the first <Tag> in an S3 XML answer (Error or PostResponse), or "".
function pick(text, tag) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  if (doc.getElementsByTagName("parsererror").length > 0) return "";
  const node = doc.getElementsByTagName(tag)[0];
  return node ? node.textContent.trim() : "";
}

async function whoAmI() {
  try {
    const r = await fetch("/me", { cache: "no-store" });
    if (r.ok) {
      const me = await r.json();
      show(who, "ok", "Signed in as " + me.user + "; uploads go to " + me.prefix);
    } else {
      show(who, "error", "Not signed in.");
    }
  } catch (e) {
    show(who, "error", "Could not reach the server: " + e);
  }
}

async function upload(event) {
  event.preventDefault();
  link.hidden = true;
  const file = document.getElementById("file").files[0];
  if (!file) {
    show(statusLine, "error", "Choose a file first.");
    return;
  }
  // No size check here on purpose: the signed policy's content-length-range is what counts,
  // and the storage service enforces it.
  show(statusLine, "busy", "Asking the server for an upload policy…");
  let policy;
  try {
    const r = await fetch("/policy", { cache: "no-store" });
    if (r.status === 401) {
      show(statusLine, "error", "Not signed in (HTTP 401): sign in first.");
      return;
    }
    policy = await r.json();
    if (!r.ok) {
      show(statusLine, "error", "The server refused a policy: " + policy.error);
      return;
    }
  } catch (e) {
    show(statusLine, "error", "Could not get a policy: " + e);
    return;
  }

  const form = new FormData();
  for (const [name, value] of policy.fields) form.append(name, value);
  form.append("file", file, file.name); // last: S3 ignores fields after the file
  show(statusLine, "busy", "Uploading " + file.name + " (" + file.size + " bytes)…");
  let response;
  let text;
  try {
    // Straight to the bucket: no cookies, no referrer.
    response = await fetch(policy.url, {
      method: "POST",
      body: form,
      credentials: "omit",
      referrerPolicy: "no-referrer",
    });
    text = await response.text();
  } catch (e) {
    show(statusLine, "error", "Upload failed before any answer (network or CORS): " + e);
    return;
  }
  if (response.status !== 201) {
    const code = pick(text, "Code") || "HTTP " + response.status;
    const message = pick(text, "Message");
    show(statusLine, "error", "Upload refused: " + code + (message ? " (" + message + ")" : ""));
    return;
  }
  const key = pick(text, "Key") || policy.key_prefix + file.name;
  if (!key.startsWith(policy.key_prefix)) {
    show(statusLine, "error", "Uploaded, but under an unexpected key: " + key);
    return;
  }
  const name = key.slice(policy.key_prefix.length);
  link.href = "/download/" + encodeURIComponent(name);
  link.textContent = "Download " + name;
  link.hidden = false;
  show(statusLine, "ok", "Uploaded " + key + " (" + file.size + " bytes).");
}

document.getElementById("upload-form").addEventListener("submit", upload);
whoAmI();
