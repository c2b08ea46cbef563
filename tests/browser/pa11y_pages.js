// pa11y's WCAG2AA run (HTML_CodeSniffer) over the pages named on the command line, in one Debian
// Chromium (no browser download: package.json's install runs no scripts). Prints {page: [issue…]} as JSON,
// errors only; tests/browser/test_pa11y.py reads it. Each argument is JSON: {"url": …, "cookies": "a=b; c=d"}.
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

async function main() {
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const found = {};
  try {
    for (const argument of process.argv.slice(2)) {
      const {url, cookies} = JSON.parse(argument);
      const result = await pa11y(url, {
        browser,
        standard: "WCAG2AA",
        headers: cookies ? {Cookie: cookies} : {},
        timeout: 30000,
      });
      found[argument] = result.issues.map(({code, message, selector}) => ({code, message, selector}));
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(2);
});
