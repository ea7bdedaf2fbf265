// The calculator's Web Worker: runs Python (Pyodide, served by this site) off the main thread.
// Messages in:  {type: "load"} | {type: "classify", buffer, name, asOf, log, logName} | {type: "letters", json, school, only}
// Messages out: {type: "status", text} | {type: "ready", policy, letters} | {type: "result", json, csv}
//               | {type: "letters", html, mergeCsv, count, pupils} | {type: "error", text}

const base = new URL("./", import.meta.url).href;
const START_TIMEOUT_MS = 90000;
let engine = null;

function status(text) {
  self.postMessage({ type: "status", text });
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function fetchText(name) {
  const response = await fetch(base + name);
  if (!response.ok) throw new Error(`The site is missing ${name} (HTTP ${response.status}).`);
  return response.text();
}

async function start() {
  status("Loading Python");
  const config = JSON.parse(await fetchText("calculator.json"));
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const pyodide = await withTimeout(
    loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json", packageBaseUrl: base }),
    START_TIMEOUT_MS,
    "Python did not start in time. Reload the page; if it keeps happening, the site may be blocking WebAssembly.",
  );
  status("Loading the attendance engine");
  const problems = [];
  await pyodide.loadPackage(["attendtoolkit"], { // and, through the lock file, jinja2 and markupsafe
    checkIntegrity: true,
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  let browser;
  try {
    browser = pyodide.pyimport("attendtoolkit.browser");
  } catch (err) {
    throw new Error(
      "The attendance engine could not be loaded" + (problems.length ? ` (${problems.join(" ")})` : "") +
      ". Its file may be damaged or changed: reload the page, and tell the site's owner if it happens again.",
    );
  }
  const policyText = await fetchText("policy.toml");
  const lettersJson = await fetchText("letters.json");
  const policy = JSON.parse(browser.policy_summary(policyText, config.policy_file));
  const letters = JSON.parse(browser.letter_titles(lettersJson));
  return { browser, policyText, policyFile: config.policy_file, policy, lettersJson, letters };
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (!engine) engine = start();
    const ready = await engine;
    if (message.type === "load") {
      self.postMessage({ type: "ready", policy: ready.policy, letters: ready.letters });
    } else if (message.type === "classify") {
      status("Classifying");
      const out = JSON.parse(ready.browser.classify_file(
        new Uint8Array(message.buffer), message.name, ready.policyText, ready.policyFile, message.asOf || null,
        message.log ? new Uint8Array(message.log) : undefined, message.logName || undefined, ready.lettersJson,
      ));
      if (out.ok) self.postMessage({ type: "result", json: out.json, csv: out.csv, actionsCsv: out.actions_csv });
      else self.postMessage({ type: "error", text: out.error });
    } else if (message.type === "letters") {
      status("Preparing letters");
      const out = JSON.parse(ready.browser.render_letters(message.json, JSON.stringify(message.school),
                                                          ready.lettersJson, message.only || null));
      if (out.ok) {
        self.postMessage({ type: "letters", html: out.html, mergeCsv: out.merge_csv, count: out.count, pupils: out.pupils });
      } else self.postMessage({ type: "error", text: out.error });
    }
  } catch (err) {
    engine = null; // let the next attempt start again
    self.postMessage({ type: "error", text: String((err && err.message) || err) });
  }
};
