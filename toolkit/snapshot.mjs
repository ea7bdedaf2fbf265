// Makes the calculator's start-up snapshot: the memory of a Python that has started, imported the
// engine and run it once on a made-up register (attendtoolkit.browser.warm), gzipped. The worker
// starts Python from it (loader.js) instead of starting Python and compiling the engine on every
// visit. Run by the site build (hooks/calculator_assets.py), with node, on the assets folder:
//
//     node toolkit/snapshot.mjs ASSETS_FOLDER OUT_FILE
//
// Only pure-Python wheels go into the snapshot: the memory of a compiled extension (the Excel
// reader) cannot be restored, so the worker loads it after the snapshot, as before.

import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [folder, out] = process.argv.slice(2).map((path) => resolve(path));
const base = folder + "/";
const { loadPyodide } = await import(pathToFileURL(join(folder, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: base, lockFileURL: join(folder, "pyodide-lock.json"), packageBaseUrl: base, _makeSnapshot: true,
});
const lock = JSON.parse(readFileSync(join(folder, "pyodide-lock.json"), "utf-8"));
// The pure-Python wheels unpacked by hand: through loadPackage, Python would keep references to
// JavaScript objects, which a snapshot cannot hold. The package loader's own imports are made here
// too, so that loading the wheels again after the snapshot (to put their files back) is quick.
for (const name of ["markupsafe", "jinja2", "attendtoolkit"]) {
  pyodide.FS.writeFile(`/tmp/${name}.whl`, readFileSync(join(folder, lock.packages[name].file_name)));
}
pyodide.runPython(`
import importlib.metadata, sysconfig, zipfile
from pathlib import Path
from pyodide._package_loader import get_dynlibs
site = sysconfig.get_paths()["purelib"]
for name in ("markupsafe", "jinja2", "attendtoolkit"):
    with open(f"/tmp/{name}.whl", "rb") as wheel:
        get_dynlibs(wheel, ".whl", Path(site))
    with zipfile.ZipFile(f"/tmp/{name}.whl") as wheel:
        wheel.extractall(site)
    Path(f"/tmp/{name}.whl").unlink()
    importlib.metadata.distribution(name).metadata  # as the package loader reads it
import attendtoolkit.browser
attendtoolkit.browser.warm()
import gc, importlib
importlib.invalidate_caches()  # closes the zip files importlib.metadata opened (sys.path has a zip)
gc.collect()  # no file may be left open: open files are not in the snapshot
`);
writeFileSync(out, gzipSync(pyodide.makeMemorySnapshot(), { level: 9 }));
