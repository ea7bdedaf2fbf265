// Starts the attendance engine (Pyodide and the attendtoolkit wheel) in a Web Worker from this
// site's own files, and cuts the worker off from the network before Python runs:
//
// 1. fetch every file the engine needs, once, check each against its SHA-256 digest in the
//    manifest (from the page; a changed file stops everything with a message naming it), and hold
//    the bytes in memory;
// 2. import the Pyodide runtime modules from those checked bytes (blob: URLs);
// 3. remove every way this worker could send or load anything (`cutOff`): `fetch` then serves
//    only the bytes held in step 1, so a restart of Python works with the network off;
// 4. start Python and the engine from those bytes (from the start-up snapshot made by the site's
//    build: Python with the engine already imported), and take away Pyodide's package loaders.
//
// No file the user chooses is read before step 4 has finished.

// Ways a worker can reach the network, load code or keep data; all are removed by `cutOff`.
export const REMOVED = [
  "XMLHttpRequest", "WebSocket", "WebSocketStream", "EventSource", "WebTransport", "importScripts",
  "Worker", "SharedWorker", "BroadcastChannel", "caches", "indexedDB", "RTCPeerConnection",
];
// The start-up snapshot (toolkit/snapshot.mjs): Python's memory once it has imported the engine and
// run it on a made-up register, so a visit does not start Python and compile the engine again.
export const SNAPSHOT = "python.snapshot.gz";

const TYPES = { wasm: "application/wasm", json: "application/json", zip: "application/zip", whl: "application/zip" };

const held = new Map(); // file name (relative to the assets folder) -> bytes
let runtime = null; // {loadPyodide, createPyodideModule}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return btoa(digest.reduce((text, byte) => text + String.fromCharCode(byte), ""));
}

export function changedMessage(name) {
  return `${name} has been changed since this site was built, so the calculator has stopped rather than risk ` +
         "wrong results. Reload the page; if this message comes back, tell the site's owner.";
}

// The bytes of `name` from the site, if they match the digest the manifest gives for it.
async function fetchChecked(base, manifest, name) {
  if (!manifest[name]) throw new Error(`${name} is not one of this calculator's files. Tell the site's owner.`);
  let response;
  try {
    response = await fetch(base + name);
  } catch {
    throw new Error(`Could not load ${name} from this site. Check the connection and reload the page.`);
  }
  if (!response.ok) throw new Error(`The site is missing ${name} (HTTP ${response.status}).`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (`sha256-${await sha256(bytes)}` !== manifest[name]) throw new Error(changedMessage(name));
  return bytes;
}

const text = (name) => new TextDecoder().decode(held.get(name));

// Everything in the manifest except the scripts already checked by the page.
async function fetchAll(base, manifest, status) {
  status("Loading Python");
  const names = Object.keys(manifest).filter((name) => name !== "worker.js" && name !== "loader.js");
  const bytes = await Promise.all(names.map((name) => fetchChecked(base, manifest, name)));
  names.forEach((name, i) => held.set(name, bytes[i]));
  const lock = JSON.parse(text("pyodide-lock.json"));
  for (const file of [SNAPSHOT, ...Object.values(lock.packages).map((p) => p.file_name)]) {
    if (!held.has(file)) throw new Error(`${file} is not one of this calculator's files. Tell the site's owner.`);
  }
}

async function importHeld(name) {
  const url = URL.createObjectURL(new Blob([held.get(name)], { type: "text/javascript" }));
  try {
    return await import(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

// A `fetch` that answers only with the bytes held in memory, checking `integrity` as the browser
// would; anything else is refused without a request.
function heldFetch(base) {
  return async function fetch(input, options = {}) {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, base).href;
    const name = url.startsWith(base) ? url.slice(base.length) : null;
    if (name === null || !held.has(name)) {
      throw new TypeError(`The calculator is cut off from the network: it cannot fetch ${url}.`);
    }
    const bytes = held.get(name);
    if (options.integrity && options.integrity !== `sha256-${await sha256(bytes)}`) {
      throw new TypeError(`${name} does not match its integrity digest.`);
    }
    const type = TYPES[name.split(".").pop()] || "text/plain";
    return new Response(bytes.slice(), { status: 200, headers: { "Content-Type": type } });
  };
}

// Replace `name` on the worker's global object and on every prototype that carries it (Chromium
// keeps `fetch` on WorkerGlobalScope.prototype too, reachable with `.call(self, …)`).
function seal(name, value) {
  for (let holder = self; holder; holder = Object.getPrototypeOf(holder)) {
    if (Object.prototype.hasOwnProperty.call(holder, name)) {
      Object.defineProperty(holder, name, { value, writable: false, configurable: false, enumerable: false });
    }
  }
}

// Remove the worker's network and code-loading capabilities for good (they cannot be put back:
// each is replaced by a read-only, non-configurable property).
export function cutOff(base) {
  seal("fetch", heldFetch(base));
  for (const name of REMOVED) seal(name, undefined);
}

// Python modules and Pyodide functions that load packages or fetch; gone once the engine is in.
const PYTHON_LOCKDOWN = `
import sys
for name in ("pyodide.http", "micropip", "pyodide_js"):
    sys.modules[name] = None
import pyodide
if hasattr(pyodide, "http"):
    del pyodide.http
`;

function lockPython(pyodide) {
  pyodide.runPython(PYTHON_LOCKDOWN);
  for (const name of ["loadPackage", "loadPackagesFromImports", "mountNativeFS", "mountNodeFS"]) {
    try {
      Object.defineProperty(pyodide, name, {
        value: () => { throw new Error("The calculator cannot load packages once it has started."); },
        writable: false, configurable: false,
      });
    } catch { /* not a property of this Pyodide version */ }
  }
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Pyodide copies a snapshot into the memory its runtime starts with, which is smaller than the
// memory of a Python that has run the engine: grow it first (the copy then overwrites all of it).
function withRoomFor(snapshot) {
  return async (settings) => {
    const module = await runtime.createPyodideModule(settings);
    const blocks = [];
    while (module.HEAP8.length < snapshot.length) {
      const block = module._malloc(1 << 22);
      if (!block) throw new Error("There is not enough memory to start Python. Close other tabs and reload the page.");
      blocks.push(block);
    }
    blocks.forEach((block) => module._free(block));
    module.HEAP8.fill(0);
    return module;
  };
}

// The engine, ready to read a file: {pyodide, browser, config, policyText, lettersJson}.
// `manifest` maps each file name to its "sha256-…" digest. The first call fetches, checks and
// then cuts off the network; later calls (a restart) need no network.
export async function loadEngine(base, manifest, status = () => {}, timeoutMs = 90000) {
  if (!runtime) {
    await fetchAll(base, manifest, status);
    const { loadPyodide } = await importHeld("pyodide.mjs");
    const { default: createPyodideModule } = await importHeld("pyodide.asm.mjs");
    runtime = { loadPyodide, createPyodideModule };
    cutOff(base);
  }
  status("Starting Python");
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      "Python did not start in time. Reload the page; if it keeps happening, the site may be blocking WebAssembly.")), timeoutMs);
  });
  const snapshot = await gunzip(held.get(SNAPSHOT));
  const pyodide = await Promise.race([
    runtime.loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json", packageBaseUrl: base,
                          createPyodideModule: withRoomFor(snapshot), _loadSnapshot: snapshot }),
    late,
  ]).finally(() => clearTimeout(timer));
  status("Loading the attendance engine");
  const problems = [];
  // The engine's modules are in the snapshot; this puts their files back (templates, policies)
  // and loads the Excel reader, whose compiled code a snapshot cannot hold.
  await pyodide.loadPackage(["attendtoolkit"], { // and, through the lock file, jinja2, markupsafe, python-calamine
    checkIntegrity: true,
    messageCallback: () => {},
    errorCallback: (message) => problems.push(message),
  });
  let browser;
  try {
    browser = pyodide.pyimport("attendtoolkit.browser");
  } catch {
    throw new Error(
      "The attendance engine could not be loaded" + (problems.length ? ` (${problems.join(" ")})` : "") +
      ". Its file may be damaged or changed: reload the page, and tell the site's owner if it happens again.",
    );
  }
  lockPython(pyodide);
  return {
    pyodide, browser, config: JSON.parse(text("calculator.json")),
    policyText: text("policy.toml"), lettersJson: text("letters.json"),
  };
}
