// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on every kind of page of a running Rejestr72 with
// the demo data, in headless Chromium, and fails on any serious or critical violation.
//
//   node check.mjs http://127.0.0.1:8080     (see run.sh, which starts a server for it)
import { readFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const shots = process.env.A11Y_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
// bypassCSP lets axe be injected; the pages themselves never run inline scripts.
const context = await browser.newContext({ locale: "pl-PL", viewport: { width: 1280, height: 900 }, bypassCSP: true });
const page = await context.newPage();
let failures = 0;

async function check(name, action) {
  await action();
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = result.violations.length - bad.length;
  console.log(`${bad.length ? "FAIL" : "ok  "} ${name}: ${bad.length} serious/critical, ${minor} minor, ${result.passes.length} rules passed`);
  for (const v of bad) {
    console.log(`     ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×) ${v.nodes[0]?.target}`);
  }
  for (const v of result.violations.filter((v) => !bad.includes(v))) {
    console.log(`     minor ${v.impact} ${v.id}: ${v.help}`);
  }
  if (shots) await page.screenshot({ path: `${shots}/${name.replace(/[^a-z0-9]+/gi, "_")}.png`, fullPage: true });
  failures += bad.length;
}

await check("landing", () => page.goto(`${base}/`));
await check("report form", () => page.goto(`${base}/o/demo/zglos`));
await check("report form with errors", async () => {
  await page.goto(`${base}/o/sp1-przykladowo/zglos`);
  await page.fill("#description", "krótko");
  await page.click("button[type=submit]");
  await page.waitForSelector(".error-summary");
});
await check("processor form", () => page.goto(`${base}/o/demo/zglos/podmiot-przetwarzajacy`));
await check("confirmation", async () => {
  await page.goto(`${base}/o/demo/zglos`);
  await page.fill("#description", "Test dostępności: zgubiony klucz do szafy z aktami.");
  await page.fill("#discovered_at", "2026-01-05T10:00");
  await page.click("button[type=submit]");
  await page.waitForSelector(".case-number");
});
await check("sign-in", () => page.goto(`${base}/logowanie`));
await page.fill("#email", "iod@przykladowo.example.pl");
await page.fill("#password", "demo-rejestr72");
await page.click("button[type=submit]");
await page.waitForURL(`${base}/rejestr`);
await check("organisations", () => page.goto(`${base}/rejestr`));
await check("inbox", () => page.goto(`${base}/rejestr/demo`));
await check("case", () => page.goto(`${base}/rejestr/demo/sprawy/${new Date().getFullYear()}/1`));
await check("settings", () => page.goto(`${base}/rejestr/demo/ustawienia`));
// The IOD's walk from a new report to a recorded decision.
const caseUrl = `${base}/rejestr/demo/sprawy/${new Date().getFullYear()}/1`;
await check("assessment questionnaire", () => page.goto(`${caseUrl}/ocena`));
await check("assessment proposal", async () => {
  await page.check("#conf-known");
  await page.check("#mal-no");
  await page.click("button[value=ocen]");
  await page.waitForSelector(".proposal");
});
await check("case after the decision", async () => {
  await page.click("button[value=zapisz]");
  await page.waitForURL(/#ocena$/);
});
// Drafting the PUODO notification and the letter from the assessed case.
await check("PUODO draft", () => page.goto(`${caseUrl}/dokumenty/puodo-complete`));
await check("PUODO draft saved", async () => {
  await page.fill("#discovery_method", "Pracownik zauważył pomyłkę w adresie e-mail.");
  await page.check("#wh-wrong_recipient");
  await page.selectOption("#cause", "internal_unintentional");
  await page.fill("#measures_recurrence", "Szkolenie i podwójna kontrola adresata.");
  await page.fill("#measures_mitigation", "Odbiorca potwierdził usunięcie wiadomości.");
  await page.click("text=Zapisz nową wersję");
  await page.waitForURL(/wersja=1/);
});
await check("letter draft", () => page.goto(`${caseUrl}/dokumenty/subject_letter`));
await check("letter saved", async () => {
  await page.fill("#plain_description", "Pracownik wysłał e-mail z listą uczestników do niewłaściwego adresata.");
  await page.click("text=Zapisz nową wersję");
  await page.waitForURL(/wersja=1/);
});
await check("letter recipients with an error", async () => {
  await page.goto(`${caseUrl}/dokumenty/subject_letter/1/adresaci`);
  await page.fill("#lista", "Anna Kowalska; anna@example");
  await page.click("button:has-text(\"Dodaj adresatów\")");
  await page.waitForSelector(".error-summary");
});
await check("letter recipients", async () => {
  await page.fill("#lista", "Anna Kowalska; ul. Lipowa 5 | 00-001 Przykładowo; anna.kowalska@example.pl\nJan Nowak; jan.nowak@example.pl\nMaria Wiśniewska; ul. Polna 2 | 00-002 Przykładowo");
  await page.click("button:has-text(\"Dodaj adresatów\")");
  await page.waitForSelector("table.recipients");
});
await check("share page", () => page.goto(`${caseUrl}/udostepnianie`));
await check("share page with an indicator", async () => {
  await page.selectOption("#kind", "ipv4");
  await page.fill("#value", "203.0.113[.]7");
  await page.click("button:has-text(\"Dodaj wskaźnik\")");
  await page.waitForURL(/udostepnianie/);
});
await check("statistics", () => page.goto(`${base}/rejestr/demo/statystyki`));
await check("statistics with a bad report period", () =>
  page.goto(`${base}/rejestr/demo/eksport/raport.pdf?od=2026-12-31&do=2026-01-01`),
);
await check("MISP settings", () => page.goto(`${base}/rejestr/demo/ustawienia/misp`));
await check("MISP settings with errors", async () => {
  await page.fill("#url", "misp.example");
  await page.click("button[value=save]");
  await page.waitForLoadState();
});
await check("MISP settings saved", async () => {
  await page.fill("#url", "https://misp.isac-jst.example.pl");
  await page.fill("#api_key", "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0");
  await page.click("button[value=save]");
  await page.waitForURL(/zapisano/);
});
await check("share page with MISP", () => page.goto(`${caseUrl}/udostepnianie`));
await check("PUODO print view", () => page.goto(`${caseUrl}/dokumenty/puodo-complete/1/druk`));
await check("deadlines", () => page.goto(`${base}/terminy`));
await check("notices", () => page.goto(`${base}/powiadomienia`));
await check("notices all read", async () => {
  await page.click("button:has-text(\"Oznacz wszystkie jako przeczytane\")");
  await page.waitForURL(/powiadomienia$/);
});
await check("settings: escalation with errors", async () => {
  await page.goto(`${base}/rejestr/demo/ustawienia`);
  await page.fill("#rung_percent_2", "10");
  await page.fill("#assess_hours", "0");
  await page.click("button:has-text(\"Zapisz eskalację\")");
  await page.waitForSelector(".error-summary");
});
await check("settings: escalation saved", async () => {
  await page.goto(`${base}/rejestr/demo/ustawienia`);
  await page.fill("#rung_percent_4", "95");
  await page.click("button:has-text(\"Zapisz eskalację\")");
  await page.waitForURL(/zapisano=eskalacja/);
});
await check("settings: new webhook secret", async () => {
  await page.click("button:has-text(\"Wygeneruj sekret\")");
  await page.waitForSelector("#nowy-sekret");
});
await check("account", () => page.goto(`${base}/konto`));
await check("my reports", () => page.goto(`${base}/moje-zgloszenia`));
await check("not found", () => page.goto(`${base}/nie-ma-takiej-strony`));

await browser.close();
console.log(failures ? `${failures} serious or critical violations` : "no serious or critical violations");
process.exit(failures ? 1 : 0);
