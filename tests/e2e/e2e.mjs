// End-to-end walk through Rejestr72 in headless Chromium, the way the people use it:
// an employee reports an incident with personal data through the Polish form and gets the
// case number; the IOD signs in, opens the case from the inbox, answers the risk questionnaire
// and decides to notify Prezes UODO; the 72-hour deadline shows on the case page and on
// /terminy; the PUODO notification is drafted, its PDF downloaded, the version marked sent with
// a UPO number; the case is exported as STIX 2.1 from the share page and the download is
// checked (a valid bundle without the reporter's name or e-mail).
//
// Every page on the way gets a screenshot in the artefact directory and an axe-core check
// (WCAG 2.0/2.1 A and AA); a serious or critical violation fails the test, as does any failed
// expectation. Exit code 0 only when the whole walk passed.
//
//   node e2e.mjs http://127.0.0.1:18310 <artefact directory>     (see run.sh)
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const artefacts = process.argv[3] ?? "e2e-artifacts";
mkdirSync(artefacts, { recursive: true });
const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

const REPORTER_NAME = "Joanna Zgłaszająca-Testowa";
const REPORTER_EMAIL = "joanna.zglaszajaca@przykladowo.example.pl";
const IOD_EMAIL = "iod@przykladowo.example.pl";
const IOD_PASSWORD = "demo-rejestr72";
const UPO = "UPO-2026-E2E-000731";

const started = Date.now();
let stepNo = 0;
let a11yFailures = 0;

class Failure extends Error {}
function expect(condition, message) {
  if (!condition) throw new Failure(message);
}

/** The local time in Warsaw `hours` ago, as a datetime-local field wants it. */
function warsawLocal(hoursAgo) {
  const t = new Date(Date.now() - hoursAgo * 3600 * 1000);
  return t.toLocaleString("sv-SE", { timeZone: "Europe/Warsaw" }).replace(" ", "T").slice(0, 16);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--lang=pl-PL", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
});
// bypassCSP lets axe be injected; the pages themselves never run inline scripts.
const context = await browser.newContext({
  locale: "pl-PL",
  timezoneId: "Europe/Warsaw",
  viewport: { width: 1280, height: 900 },
  bypassCSP: true,
  acceptDownloads: true,
});
const page = await context.newPage();
const serverErrors = [];
page.on("response", (response) => {
  if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
});

/** Screenshot and axe-core check of the page as it is now. */
async function checkpoint(name) {
  stepNo += 1;
  const file = `${String(stepNo).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`;
  await page.screenshot({ path: `${artefacts}/${file}`, fullPage: true });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${bad.length ? "FAIL" : "ok  "} ${String(stepNo).padStart(2)} ${name} (${page.url().replace(base, "")}) axe: ${bad.length} serious/critical, ${result.violations.length - bad.length} minor [${seconds} s]`);
  for (const v of bad) console.log(`       ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×) ${v.nodes[0]?.target}`);
  a11yFailures += bad.length;
}

async function text(selector) {
  return (await page.locator(selector).first().innerText()).trim();
}

async function walk() {
  // 1. The employee reports, without an account.
  await page.goto(`${base}/o/demo/zglos`);
  await checkpoint("report form");
  await page.fill("#description", "Pracownica wysłała e-mail z listą 40 uczestników programu (imiona, nazwiska, numery PESEL, adresy e-mail) do niewłaściwego adresata spoza urzędu. Adresat odpisał, że usunął wiadomość.");
  await page.fill("#location", "Referat Spraw Społecznych, poczta elektroniczna");
  await page.fill("#discovered_at", warsawLocal(2));
  await page.check("#occurred-at");
  await page.fill("#occurred_at", warsawLocal(3));
  await page.check("#cat-identity");
  await page.check("#cat-contact");
  await page.check("#cat-national_id");
  await page.fill("#subjects_estimate", "40");
  await page.fill("#reporter_name", REPORTER_NAME);
  await page.fill("#reporter_email", REPORTER_EMAIL);
  await page.click("button[type=submit]");
  await page.waitForSelector(".case-number");
  const number = await text(".case-number");
  expect(/^\d{4}\/\d{4}$/.test(number), `the confirmation shows a case number, got ${JSON.stringify(number)}`);
  expect(/\/s\/[0-9a-f]{64}(\?nowe=1)?$/.test(page.url()), `the confirmation is the private follow page, got ${page.url()}`);
  expect((await text("dl.summary")).includes(number), "the follow page shows the number and the state");
  await checkpoint("confirmation with the case number");
  const [seqText, year] = number.split("/");
  const seq = Number(seqText);
  const caseUrl = `${base}/rejestr/demo/sprawy/${year}/${seq}`;

  // 2. The IOD signs in and finds the case in the inbox.
  await page.goto(`${base}/logowanie`);
  await checkpoint("sign-in");
  await page.fill("#email", IOD_EMAIL);
  await page.fill("#password", IOD_PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/rejestr`);
  await checkpoint("the IOD's organisations");
  await page.goto(`${base}/rejestr/demo`);
  const inboxLink = page.locator(`a[href="/rejestr/demo/sprawy/${year}/${seq}"]`);
  expect((await inboxLink.count()) > 0, `the inbox lists case ${number}`);
  await checkpoint("inbox with the new report");
  await inboxLink.first().click();
  await page.waitForURL(caseUrl);
  expect((await text("h1")) === `Sprawa ${number}`, "the case page is the reported case");
  expect((await text("p.description")).startsWith("Pracownica wysłała e-mail"), "the case page shows the description");
  await checkpoint("case page as reported");

  // 3. The risk questionnaire and the IOD's decision to notify Prezes UODO.
  await page.click(`a[href$="/sprawy/${year}/${seq}/ocena"]`);
  await page.waitForURL(`${caseUrl}/ocena`);
  await checkpoint("risk questionnaire");
  await page.check("#pd-yes");
  await page.check("#conf-known");
  await page.check("#int-none");
  await page.check("#av-none");
  await page.check("#mal-no");
  for (const category of ["identity", "contact", "national_id"]) {
    expect(await page.isChecked(`#cat-${category}`), `the questionnaire starts from the reported data category ${category}`);
  }
  await page.fill("#subjects_count", "40");
  await page.click("button[value=ocen]");
  await page.waitForSelector(".proposal");
  const proposal = await text(".proposal");
  expect(/Kwalifikacja\s*naruszenie ochrony danych osobowych/.test(proposal), `the engine classifies a breach, got ${JSON.stringify(proposal)}`);
  expect(/Zgłoszenie do Prezesa UODO \(72 h\)\s*wymagane/.test(proposal), "the engine proposes notifying Prezes UODO (PESEL numbers sent to a stranger)");
  expect(/\[R-[A-Z0-9-]+\]/.test(proposal), "every reason names its rule");
  await checkpoint("engine proposal");
  // The decision starts equal to the proposal; the IOD confirms it, so no justification is needed.
  expect(await page.isChecked("#final_notify_sa"), "the decision form proposes notifying PUODO");
  expect((await page.inputValue("#final_classification")) === "personal_data_breach", "the decision form proposes the breach");
  await page.click("button[value=zapisz]");
  await page.waitForURL(/#ocena$/);
  const decision = await text("#ocena + dl.summary");
  expect(/Zgłoszenie do Prezesa UODO\s*tak — termin/.test(decision), `the decision to notify PUODO is recorded, got ${JSON.stringify(decision)}`);

  // 4. The deadline: aware_at + 72 elapsed hours, on the case page and on /terminy.
  const awareIso = await page.locator("dl.summary time").nth(1).getAttribute("datetime");
  const deadlineIso = await page.locator("dl.summary time").nth(2).getAttribute("datetime");
  const hours = (Date.parse(deadlineIso) - Date.parse(awareIso)) / 3600e3;
  expect(hours === 72, `the PUODO deadline is aware_at + 72 h (aware ${awareIso}, deadline ${deadlineIso})`);
  const puodoObligation = page.locator("ul.obligations li", { hasText: "UODO" });
  expect((await puodoObligation.count()) === 1, "the case lists the PUODO obligation");
  const obligationText = (await puodoObligation.innerText()).trim();
  expect(/termin .*\(.*\d+ h/.test(obligationText) || /pozostało/i.test(obligationText), `the obligation shows the time left, got ${JSON.stringify(obligationText)}`);
  expect((await puodoObligation.locator("time").getAttribute("datetime")) === deadlineIso, "the obligation's deadline is the case's deadline");
  expect((await text("dl.summary")).includes("naruszenie"), "the case is now classified as a personal data breach");
  await checkpoint("case with the decision and the deadline");

  await page.goto(`${base}/terminy`);
  const deadlineRow = page.locator("table.data tbody tr", { has: page.locator(`a:text-is("${number}")`) });
  expect((await deadlineRow.count()) >= 1, `/terminy lists case ${number}`);
  const row = deadlineRow.filter({ hasText: "UODO" });
  expect((await row.count()) === 1, `/terminy lists the PUODO obligation of ${number}`);
  expect((await row.locator("time").getAttribute("datetime")) === deadlineIso, "/terminy shows the same deadline");
  await checkpoint("deadlines dashboard");

  // 5. The PUODO notification: draft, save a version, download its PDF.
  await page.goto(caseUrl);
  await page.click('a:text-is("Zgłoszenie do Prezesa UODO")');
  await page.waitForURL(`${caseUrl}/dokumenty/puodo-complete`);
  await checkpoint("PUODO draft");
  await page.fill("#discovery_method", "Adresat odpisał pracownicy, że otrzymał wiadomość omyłkowo.");
  await page.check("#wh-wrong_recipient");
  await page.selectOption("#cause", "internal_unintentional");
  await page.fill("#measures_recurrence", "Szkolenie pracowników i podwójna kontrola adresata przy wysyłce list.");
  await page.fill("#measures_mitigation", "Adresat potwierdził na piśmie usunięcie wiadomości.");
  await page.fill("#records_count", "40");
  await page.check("#sc-public_clients");
  await page.check("#cq-loss_of_control");
  await page.check("#cq-identity_theft");
  await page.fill("#measures_before", "Poczta elektroniczna z ostrzeżeniem o adresatach spoza urzędu; szkolenie RODO raz w roku.");
  await page.selectOption("#communication", "planned");
  await page.selectOption("#cross_border", "nie");
  await page.click("text=Zapisz nową wersję");
  await page.waitForURL(/wersja=1/);
  expect((await text("#preview-title")).startsWith("Wersja 1"), "version 1 of the draft is saved");
  expect((await page.locator(".missing.blocking").count()) === 0, `nothing required is missing (art. 33(3)), got ${await page.locator(".missing").allInnerTexts()}`);
  expect((await text(".doc-paper")).includes(number), "the draft names the case");
  await checkpoint("PUODO draft saved");
  const [pdfDownload] = await Promise.all([page.waitForEvent("download"), page.click('a:text-is("Pobierz PDF")')]);
  const pdfPath = `${artefacts}/puodo-${seq}-v1.pdf`;
  await pdfDownload.saveAs(pdfPath);
  const pdf = readFileSync(pdfPath);
  expect(pdf.subarray(0, 5).toString() === "%PDF-", "the download is a PDF");
  const pdfText = execFileSync("pdftotext", ["-layout", pdfPath, "-"]).toString();
  expect(pdfText.includes(number), "the PDF names the case");
  expect(pdfText.includes("Urząd Gminy Przykładowo"), "the PDF names the controller, with Polish letters intact");
  console.log(`ok     PDF ${pdfDownload.suggestedFilename()}: ${pdf.length} bytes, ${pdfText.split("\n").length} lines of text`);

  // 6. Mark the version sent with the UPO number: the text is frozen, the obligation closed.
  await page.fill("#channel", "formularz na biznes.gov.pl");
  await page.fill("#reference", UPO);
  await page.click(".sent-form button[type=submit]");
  await page.waitForLoadState("load");
  const versions = await text("table.versions");
  expect(versions.includes("wysłano") && versions.includes(UPO), `the version is marked sent with ${UPO}, got ${JSON.stringify(versions)}`);
  expect(/SHA-256 [0-9a-f]{64}/.test(versions), "the sent version shows its SHA-256");
  await checkpoint("PUODO notification marked sent");
  await page.goto(caseUrl);
  const closed = (await page.locator("ul.obligations li", { hasText: "UODO" }).innerText()).trim();
  expect(closed.includes(UPO), `the case shows the PUODO obligation sent with ${UPO}, got ${JSON.stringify(closed)}`);
  await checkpoint("case after the notification");

  // 7. Share with CSIRT NASK as STIX 2.1: pseudonymised by default.
  await page.click('a[href$="/udostepnianie"]');
  await page.waitForURL(`${caseUrl}/udostepnianie`);
  await checkpoint("share page");
  await page.fill("#recipient", "CSIRT NASK");
  await page.selectOption("#tlp", "amber");
  const [stixDownload] = await Promise.all([page.waitForEvent("download"), page.click("button[value=stix]")]);
  const stixPath = `${artefacts}/case-${seq}.stix.json`;
  await stixDownload.saveAs(stixPath);
  const stixText = readFileSync(stixPath, "utf8");
  let bundle;
  try {
    bundle = JSON.parse(stixText);
  } catch (error) {
    throw new Failure(`the STIX download is not JSON: ${error.message}`);
  }
  expect(bundle.type === "bundle" && /^bundle--[0-9a-f-]{36}$/.test(bundle.id), "the download is a STIX bundle with an id");
  expect(Array.isArray(bundle.objects) && bundle.objects.length > 0, "the bundle has objects");
  for (const object of bundle.objects) {
    expect(typeof object.type === "string" && object.id?.startsWith(`${object.type}--`), `every object has a typed id (${object.id})`);
    if (object.type !== "marking-definition") expect(object.spec_version === "2.1", `${object.id} is STIX 2.1`);
  }
  const incident = bundle.objects.find((o) => o.type === "incident");
  expect(incident, "the bundle contains the incident");
  expect(bundle.objects.some((o) => o.type === "marking-definition" && /amber/i.test(JSON.stringify(o))), "the bundle carries the TLP:AMBER marking");
  const lowered = stixText.toLowerCase();
  for (const secret of [REPORTER_NAME, REPORTER_EMAIL, "Zgłaszająca", "joanna", "przykladowo.example.pl", "Pracownica wysłała"]) {
    expect(!lowered.includes(secret.toLowerCase()), `the STIX export does not contain ${JSON.stringify(secret)}`);
  }
  console.log(`ok     STIX ${stixDownload.suggestedFilename()}: ${bundle.objects.length} objects (${[...new Set(bundle.objects.map((o) => o.type))].join(", ")}), no reporter data`);
  await page.goto(`${caseUrl}/udostepnianie`);
  const history = await text("#historia + table, #historia ~ table");
  expect(history.includes("CSIRT NASK") && /stix/i.test(history), `the share page records the export, got ${JSON.stringify(history)}`);
  await checkpoint("share page with the recorded export");
}

let failed = false;
try {
  await walk();
} catch (error) {
  failed = true;
  console.log(`FAIL after step ${stepNo}: ${error instanceof Failure ? error.message : error.stack}`);
  try {
    await page.screenshot({ path: `${artefacts}/failure.png`, fullPage: true });
    writeFileSync(`${artefacts}/failure.html`, await page.content());
    console.log(`     the page at the failure: ${page.url()} (failure.png, failure.html)`);
  } catch {
    // The browser itself failed; the message above is all there is.
  }
}
await browser.close();
if (serverErrors.length) {
  failed = true;
  console.log(`FAIL the server answered with 5xx: ${serverErrors.join(", ")}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (a11yFailures) console.log(`${a11yFailures} serious or critical accessibility violations`);
console.log(failed || a11yFailures ? `e2e FAILED in ${seconds} s` : `e2e passed: ${stepNo} pages checked in ${seconds} s; artefacts in ${artefacts}`);
process.exit(failed || a11yFailures ? 1 : 0);
