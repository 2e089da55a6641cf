// Drives the gateway-downloads example (examples/gateway-downloads) in headless Debian
// Chromium: downloads through `presign serve`.
//
//   node tests/browser/gateway.mjs --url http://127.0.0.1:PORT/ --user alice
//        --file NAME --expect-file PATH [--chromium /usr/bin/chromium]
//
// 1. Loads the page (not signed in), signs in as --user (a JWT cookie for the gateway).
// 2. Clicks the link to the user's file: the gateway answers 303 with Referrer-Policy:
//    no-referrer, Chromium follows it to the storage host, and the page shows the file's
//    bytes (compared with --expect-file). The request to the storage host must carry no
//    Referer, the redirect must be 303 with Cache-Control: no-store, and the signed URL must
//    never appear in the page's HTML.
// 3. Goes back and clicks someone else's file: the gateway answers 403 and the browser never
//    contacts the storage host for it.
// Every request is recorded: anything not on 127.0.0.1 fails the run.
//
// Prints one line per check (`ok ...` / `FAIL ...`); exits 0 when all pass, 1 otherwise, 2 on
// bad arguments or when the browser cannot start.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const WAIT_MS = 30_000;
// How Chromium runs here (as root, offline): no sandbox, no GPU, nothing in the background.
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function parseArgs(argv) {
  const out = { chromium: "/usr/bin/chromium" };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case "--url": out.url = value; break;
      case "--user": out.user = value; break;
      case "--file": out.file = value; break;
      case "--expect-file": out.expectFile = value; break;
      case "--chromium": out.chromium = value; break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  for (const need of ["url", "user", "file", "expectFile"]) {
    if (!out[need]) throw new Error(`--${need} is required`);
  }
  return out;
}

const failures = [];
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

// The URL without its query (which may hold a signature).
function redact(url) {
  const u = new URL(url);
  return u.search ? `${u.origin}${u.pathname}?<redacted>` : url;
}

async function run(args) {
  const pageOrigin = new URL(args.url).origin;
  const expected = await readFile(args.expectFile, "utf8");
  const profile = await mkdtemp(join(tmpdir(), "presign-chromium-"));
  let context;
  try {
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: args.chromium,
        headless: true,
        args: CHROMIUM_FLAGS,
      });
    } catch (e) {
      console.log(`FAIL cannot start Chromium at ${args.chromium}: ${e.message}`);
      return 2;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const external = [];
    const storage = [];
    const redirects = [];
    context.on("request", async (request) => {
      const url = new URL(request.url());
      if (!["http:", "https:"].includes(url.protocol)) return;
      if (url.hostname !== "127.0.0.1") {
        external.push(request.url());
        return;
      }
      if (url.origin !== pageOrigin) {
        const headers = await request.allHeaders().catch(() => ({}));
        storage.push({ url: redact(request.url()), referer: headers.referer ?? null });
      }
    });
    context.on("response", async (response) => {
      const at = new URL(response.url());
      if (response.status() === 303 && at.origin === pageOrigin && at.pathname.startsWith("/v1/")) {
        const h = await response.allHeaders().catch(() => ({}));
        redirects.push({
          url: response.url(),
          location: h.location ?? "",
          referrerPolicy: h["referrer-policy"] ?? null,
          cacheControl: h["cache-control"] ?? null,
        });
      }
    });
    page.on("pageerror", (e) => check(false, `no script error on the page (${e.message})`));

    await page.goto(args.url, { timeout: WAIT_MS });
    check(
      (await page.locator("#who").getAttribute("data-state")) === "anonymous",
      "the page starts signed out",
    );
    await page.fill("#user", args.user);
    await Promise.all([page.waitForNavigation({ timeout: WAIT_MS }), page.click("#login")]);
    check(
      (await page.locator("#who").getAttribute("data-state")) === "signed-in",
      `signed in: ${await page.locator("#who").textContent()}`,
    );
    const html = await page.content();

    // The user's file: gateway 303 -> storage 200.
    const link = page.locator(`a:text-is("${args.file}")`);
    const href = await link.getAttribute("href");
    check(href === `/v1/files/users/${args.user}/${args.file}`, `the link goes to the gateway (${href})`);
    const [nav] = await Promise.all([
      page.waitForNavigation({ timeout: WAIT_MS }),
      link.click(),
    ]);
    const landed = new URL(page.url());
    check(landed.origin !== pageOrigin, `the redirect was followed to the storage host (${redact(page.url())})`);
    check(nav && nav.status() === 200, `the storage host answered ${nav && nav.status()}`);
    const shown = await page.evaluate(() => document.body.innerText);
    check(shown.trim() === expected.trim(), `the browser received the file's bytes (${expected.trim().length} characters)`);
    check(redirects.length === 1, `one 303 from the gateway (${redirects.length})`);
    const r = redirects[0] ?? {};
    check(r.referrerPolicy === "no-referrer", `the 303 says Referrer-Policy: ${r.referrerPolicy}`);
    check(r.cacheControl === "no-store", `the 303 says Cache-Control: ${r.cacheControl}`);
    check(storage.length === 1, `one request reached the storage host (${storage.length})`);
    for (const s of storage) {
      check(s.referer === null, `no Referer sent to the storage host (got ${s.referer}) for ${s.url}`);
    }
    check(!html.includes("X-Amz-Signature"), "the page never held a signed URL");

    // Someone else's file: 403 at the gateway, nothing at the storage host.
    await page.goBack({ timeout: WAIT_MS });
    const before = storage.length;
    const [refused] = await Promise.all([
      page.waitForNavigation({ timeout: WAIT_MS }),
      page.click("#foreign"),
    ]);
    check(refused && refused.status() === 403, `someone else's file is refused (${refused && refused.status()})`);
    check(storage.length === before, "the refused link never reached the storage host");

    check(external.length === 0, `no request left 127.0.0.1 (${external.join(", ") || "none"})`);
  } finally {
    if (context) await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  }
  if (failures.length) {
    console.log(`gateway-downloads: ${failures.length} check(s) failed`);
    return 1;
  }
  console.log("gateway-downloads: all checks passed");
  return 0;
}

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  console.log(`usage error: ${e.message}`);
  process.exit(2);
}
process.exit(await run(args));
