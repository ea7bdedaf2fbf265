// Run the engine's unit tests and scenarios inside Pyodide (the browser's Python) under Node,
// from the vendored runtime in node_modules. Usage: node tests/pyodide/run_tests.mjs WHEEL_DIR [pytest args]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../../node_modules/pyodide/pyodide.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [wheelDir, ...pytestArgs] = process.argv.slice(2);
const pyodide = await loadPyodide({ indexURL: path.join(root, "node_modules", "pyodide") + path.sep });
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root }, "/repo");
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const name of readdirSync(wheelDir).filter((n) => n.endsWith(".whl"))) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(path.join(wheelDir, name))), "wheel", { extractDir: sitePackages });
}
pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
const code = await pyodide.runPythonAsync(`
import os, sys
sys.path.insert(0, "/repo/src")
os.chdir("/repo")
import pytest
print("Python", sys.version.split()[0], "in Pyodide", flush=True)
pytest.main(list(pytest_args))
`);
process.exit(Number(code));
