// /docs/ in a real browser: Debian's Chromium (headless) driven by
// playwright-core opens the Swagger UI, authorizes with a bearer token,
// runs GET /api/me with "Try it out" -> "Execute", and requires the answer
// the page shows to be 200, called on the page's own host (the document's
// server is relative).
//
//   node docs-check.mjs <base URL> <bearer token>
//   CHROMIUM=/usr/bin/chromium (default); DOCS_CHECK_SCREENSHOT=<file.png> on failure
//
// Exit 0 and "docs: PASS ..." as the last line, or exit 1 and "docs: FAIL: <why>".
import { chromium } from "playwright-core";

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.log("docs: FAIL: usage: node docs-check.mjs <base URL> <bearer token>");
  process.exit(1);
}
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const screenshot = process.env.DOCS_CHECK_SCREENSHOT;
const TIMEOUT = 30_000;

function step(text) {
  console.log(`-- ${text}`);
}

let browser;
let page;
try {
  step(`chromium ${executablePath} (headless)`);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    // root in CI containers: Chromium's sandbox needs user namespaces it may not have
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
    timeout: TIMEOUT,
  });
  page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));

  const docs = new URL("/docs/", base).toString();
  step(`open ${docs}`);
  const opened = await page.goto(docs, { waitUntil: "load" });
  if (!opened || opened.status() !== 200) {
    throw new Error(`${docs} answered ${opened ? opened.status() : "nothing"}`);
  }
  await page.locator(".swagger-ui .info .title", { hasText: "LockIN API" }).waitFor();
  const operation = page.locator("#operations-profiles-getMe");
  await operation.waitFor();

  step("Authorize with the bearer token");
  await page.locator(".scheme-container button.authorize").click();
  const dialog = page.locator(".dialog-ux .modal-ux");
  await dialog.locator("input[type=text], input[type=password]").first().fill(token);
  await dialog.locator("button.authorize").click();
  // once authorized the dialog offers Logout instead of Authorize
  await dialog.locator("button", { hasText: "Logout" }).waitFor();
  await dialog.locator("button.btn-done").click();
  await dialog.waitFor({ state: "detached" });

  step("GET /api/me: Try it out, Execute");
  await operation.locator(".opblock-summary").first().click();
  await operation.locator("button.try-out__btn").click();
  await operation.locator("button.execute").click();

  const answer = operation.locator(".live-responses-table .response .response-col_status").first();
  await answer.waitFor();
  const status = (await answer.innerText()).trim();
  const requestUrl = (await operation.locator(".request-url pre").first().innerText()).trim();
  const body = (await operation.locator(".live-responses-table .response-col_description pre").first().innerText()).trim();
  console.log(`   request URL shown: ${requestUrl}`);
  console.log(`   response shown:    ${status}  ${body.replace(/\s+/g, " ").slice(0, 160)}`);

  const expectedUrl = new URL("/api/me", base).toString();
  if (!status.startsWith("200")) {
    throw new Error(`GET /api/me shown as ${status}, not 200`);
  }
  if (requestUrl !== expectedUrl) {
    throw new Error(`Try it out called ${requestUrl}, not ${expectedUrl} (the page's own host)`);
  }
  if (!body.includes('"display_name"')) {
    throw new Error("the response shown is not a profile");
  }
  if (pageErrors.length > 0) {
    throw new Error(`the page raised errors: ${pageErrors.join("; ")}`);
  }
  console.log(`docs: PASS (${docs}: Authorize, Try it out, Execute GET /api/me -> 200 from ${expectedUrl})`);
  await browser.close();
  process.exit(0);
} catch (error) {
  if (page && screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    console.log(`   screenshot: ${screenshot}`);
  }
  if (browser) {
    await browser.close().catch(() => {});
  }
  console.log(`docs: FAIL: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
  process.exit(1);
}
