// Starts the calculator's Web Worker from checked bytes and returns the page's client for it.
//
// Every file the worker uses has its SHA-256 digest in the page (the manifest, written by the site
// build); a file that does not match is refused by name. The worker runs from a blob: URL of the
// checked worker.js, so it also inherits this page's Content-Security-Policy (no eval, scripts only
// from this site) where the host sends no headers; loader.js (checked here too) starts Python in it.

import { createClient } from "./protocol.js";

async function verifiedText(assets, manifest, name) {
  let response;
  try {
    response = await fetch(new URL(name, assets));
  } catch {
    throw new Error(`Could not load ${name} from this site. Check the connection and reload the page.`);
  }
  const bytes = await response.arrayBuffer();
  const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))));
  if (!response.ok || manifest[name] !== `sha256-${digest}`) {
    throw new Error(`${name} has been changed since this site was built, so the calculator has stopped rather ` +
                    "than risk wrong results. Reload the page; if this message comes back, tell the site's owner.");
  }
  return new TextDecoder().decode(bytes);
}

/**
 * The worker's client (protocol.js), at once: requests wait until the checked worker has started.
 * Its first request is "load" (start Python now, before a file is chosen); the promise it returns
 * resolves with the "ready" reply, or rejects saying why the worker could not start. onOther(message):
 * the worker's messages that answer no request (status, an error outside any request); onCrash(text):
 * the worker stopped.
 */
export function startEngine(assets, manifest, { onOther, onCrash }) {
  const started = Promise.all([verifiedText(assets, manifest, "worker.js"), verifiedText(assets, manifest, "loader.js")])
    .then(([code, loader]) => {
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
      worker.onmessage = (event) => { if (!engine.receive(event.data)) onOther(event.data); };
      worker.onerror = (event) => onCrash(`The calculator stopped: ${event.message || "unknown error"}.`);
      return { worker, loader };
    });
  // A worker that could not start takes no requests: `ready` has said why.
  const engine = createClient((message, transfer) => {
    started.then(({ worker }) => worker.postMessage(message, transfer), () => {});
  });
  const ready = started.then(({ loader }) => engine.request({ type: "load", base: assets.href, manifest, loader }));
  return { engine, ready };
}
