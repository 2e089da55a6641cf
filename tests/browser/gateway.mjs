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

import { readFile } from "node:fs/promises";
import { WAIT_MS, check, main, recordRequests, redact } from "./session.mjs";

await main("gateway-downloads", {}, ["url", "user", "file", "expectFile"], async (context, page, args) => {
  const pageOrigin = new URL(args.url).origin;
  const expected = await readFile(args.expectFile, "utf8");
  const seen = recordRequests(context, pageOrigin);
  const redirects = [];
  context.on("response", async (response) => {
    const at = new URL(response.url());
    if (response.status() === 303 && at.origin === pageOrigin && at.pathname.startsWith("/v1/")) {
      const h = await response.allHeaders().catch(() => ({}));
      redirects.push({
        referrerPolicy: h["referrer-policy"] ?? null,
        cacheControl: h["cache-control"] ?? null,
      });
    }
  });

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
  const [nav] = await Promise.all([page.waitForNavigation({ timeout: WAIT_MS }), link.click()]);
  check(new URL(page.url()).origin !== pageOrigin, `the redirect was followed to the storage host (${redact(page.url())})`);
  check(nav && nav.status() === 200, `the storage host answered ${nav && nav.status()}`);
  const shown = await page.evaluate(() => document.body.innerText);
  check(shown.trim() === expected.trim(), `the browser received the file's bytes (${expected.trim().length} characters)`);
  check(redirects.length === 1, `one 303 from the gateway (${redirects.length})`);
  const r = redirects[0] ?? {};
  check(r.referrerPolicy === "no-referrer", `the 303 says Referrer-Policy: ${r.referrerPolicy}`);
  check(r.cacheControl === "no-store", `the 303 says Cache-Control: ${r.cacheControl}`);
  check(seen.foreign.length === 1, `one request reached the storage host (${seen.foreign.length})`);
  for (const s of seen.foreign) {
    check(s.referer === null, `no Referer sent to the storage host (got ${s.referer}) for ${s.url}`);
  }
  check(!html.includes("X-Amz-Signature"), "the page never held a signed URL");

  // Someone else's file: 403 at the gateway, nothing at the storage host.
  await page.goBack({ timeout: WAIT_MS });
  const before = seen.foreign.length;
  const [refused] = await Promise.all([page.waitForNavigation({ timeout: WAIT_MS }), page.click("#foreign")]);
  check(refused && refused.status() === 403, `someone else's file is refused (${refused && refused.status()})`);
  check(seen.foreign.length === before, "the refused link never reached the storage host");
  check(seen.external.length === 0, `no request left 127.0.0.1 (${seen.external.join(", ") || "none"})`);
});
