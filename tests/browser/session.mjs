// What the browser scripts share: headless Debian Chromium started the way it runs here, the
// `ok`/`FAIL` check lines, the arguments, and a record of every request the browser makes.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const WAIT_MS = 30_000;
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

const failures = [];

// Prints `ok  what` or `FAIL what` and remembers failures.
export function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

// The URL without its query (which may hold a signature).
export function redact(url) {
  const u = new URL(url);
  return u.search ? `${u.origin}${u.pathname}?<redacted>` : url;
}

// `--flag value` pairs into an object (flags in camelCase), with `defaults`; every name in
// `required` must be given.
export function parseArgs(argv, defaults, required) {
  const out = { chromium: "/usr/bin/chromium", ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!flag.startsWith("--") || value === undefined) throw new Error(`${flag} needs a value`);
    const name = flag.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(name in out) && !required.includes(name)) throw new Error(`unknown option ${flag}`);
    out[name] = value;
  }
  for (const need of required) {
    if (!out[need]) throw new Error(`--${need} is required`);
  }
  return out;
}

// Records every request of `context`: `external` (not on 127.0.0.1, which fails a run) and
// `foreign` (127.0.0.1 but not `pageOrigin`: the storage host), with the Referer it carried.
export function recordRequests(context, pageOrigin) {
  const seen = { external: [], foreign: [] };
  context.on("request", async (request) => {
    const url = new URL(request.url());
    if (!["http:", "https:"].includes(url.protocol)) return; // data:, blob:, about:
    if (url.hostname !== "127.0.0.1") {
      seen.external.push(request.url());
      return;
    }
    if (url.origin !== pageOrigin) {
      const headers = await request.allHeaders().catch(() => ({}));
      seen.foreign.push({
        method: request.method(),
        url: redact(request.url()),
        referer: headers.referer ?? null,
      });
    }
  });
  return seen;
}

// Parses the arguments, starts Chromium in a fresh profile, runs `body(context, page, args)`,
// and exits: 0 when every check passed, 1 otherwise, 2 on bad arguments or no browser.
export async function main(name, defaults, required, body) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), defaults, required);
  } catch (e) {
    console.log(`usage error: ${e.message}`);
    process.exit(2);
  }
  const profile = await mkdtemp(join(tmpdir(), "presign-chromium-"));
  let context;
  try {
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: args.chromium,
        headless: true,
        args: CHROMIUM_FLAGS,
        acceptDownloads: true,
      });
    } catch (e) {
      console.log(`FAIL cannot start Chromium at ${args.chromium}: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => check(false, `no script error on the page (${e.message})`));
    await body(context, page, args);
  } catch (e) {
    check(false, `${e.stack ?? e}`);
  } finally {
    await context?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
  console.log(failures.length === 0 ? `${name}: all checks passed` : `${name}: ${failures.length} check(s) failed`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}
