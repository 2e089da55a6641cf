// Drives the browser-upload example (examples/browser-upload) in headless Debian Chromium.
//
//   node tests/browser/upload.mjs --url http://127.0.0.1:PORT/ --small FILE --big FILE
//        [--token demo-token] [--chromium /usr/bin/chromium]
//
// 1. Loads the page; an upload before signing in must fail with HTTP 401.
// 2. Signs in with the demo token.
// 3. Uploads the small file: the status must say "Uploaded"; follows the download link (a
//    303 to a presigned GET) and compares the downloaded bytes with the file.
// 4. Uploads the big file: the status must show the storage service's EntityTooLarge.
// Along the way every request the browser makes is recorded: anything not on 127.0.0.1 fails
// the run, and requests to the storage origin must carry no Referer.
//
// Prints one line per step (`ok ...` / `FAIL ...`) and exits 0 when all pass, 1 otherwise,
// 2 on bad arguments or when the browser cannot start.

import { readFile } from "node:fs/promises";
import { WAIT_MS, check, main, recordRequests } from "./session.mjs";

// Clicks Upload with `file` selected and waits until #status settles on ok or error.
async function uploadAndWait(page, file) {
  await page.evaluate(() => {
    const s = document.getElementById("status");
    s.dataset.state = "idle";
    s.textContent = "";
  });
  await page.setInputFiles("#file", file);
  await page.click("#upload");
  await page.waitForFunction(
    () => ["ok", "error"].includes(document.getElementById("status").dataset.state),
    null,
    { timeout: WAIT_MS },
  );
  const status = page.locator("#status");
  return { state: await status.getAttribute("data-state"), text: await status.textContent() };
}

await main("browser-upload", { token: "demo-token" }, ["url", "small", "big"], async (context, page, args) => {
    const seen = recordRequests(context, new URL(args.url).origin);
    const { external } = seen;
    const storageRequests = seen.foreign;
    page.on("console", (m) => console.log(`console.${m.type()}: ${m.text()}`));

    await page.goto(args.url, { timeout: WAIT_MS });
    await page.waitForFunction(
      () => document.getElementById("who").dataset.state !== "unknown",
      null,
      { timeout: WAIT_MS },
    );
    check(
      (await page.locator("#who").getAttribute("data-state")) === "error",
      `before sign-in the page says: ${await page.locator("#who").textContent()}`,
    );

    const anonymous = await uploadAndWait(page, args.small);
    check(
      anonymous.state === "error" && anonymous.text.includes("401"),
      `upload before sign-in is refused: ${anonymous.text}`,
    );

    await page.fill("#token", args.token);
    await Promise.all([page.waitForURL(args.url, { timeout: WAIT_MS }), page.click("#login")]);
    await page.waitForFunction(
      () => document.getElementById("who").dataset.state === "ok",
      null,
      { timeout: WAIT_MS },
    );
    check(true, `signed in: ${await page.locator("#who").textContent()}`);

    const small = await uploadAndWait(page, args.small);
    check(small.state === "ok" && small.text.startsWith("Uploaded "), `small file: ${small.text}`);
    if (small.state === "ok") {
      const href = await page.locator("#download").getAttribute("href");
      const [download] = await Promise.all([
        page.waitForEvent("download", { timeout: WAIT_MS }),
        page.click("#download"),
      ]);
      const failure = await download.failure();
      if (failure) {
        check(false, `download via ${href}: ${failure}`);
      } else {
        const got = await readFile(await download.path());
        const want = await readFile(args.small);
        check(
          Buffer.compare(got, want) === 0,
          `download via ${href}: ${got.length} bytes, ${Buffer.compare(got, want) === 0 ? "identical to" : "DIFFERENT from"} the ${want.length}-byte file (saved as ${download.suggestedFilename()})`,
        );
      }
    }

    const big = await uploadAndWait(page, args.big);
    check(
      big.state === "error" && big.text.includes("EntityTooLarge"),
      `big file: ${big.text}`,
    );

    check(external.length === 0, `no request left 127.0.0.1 (${external.join(", ") || "none"})`);
    const posts = storageRequests.filter((r) => r.method === "POST");
    const gets = storageRequests.filter((r) => r.method === "GET");
    check(posts.length >= 2 && gets.length >= 1, `the browser talked to the storage service directly: ${posts.length} POST, ${gets.length} GET`);
    for (const r of storageRequests) {
      check(r.referer === null, `${r.method} ${r.url}: Referer ${r.referer === null ? "not sent" : r.referer}`);
    }
});
