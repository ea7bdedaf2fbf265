// School details for the letters: kept in this browser only (localStorage), and as a small JSON
// file on request, to use on another computer. The engine never sees the school's name on the results.

import { $, saveFile } from "./dom.js";
import { setStatus, showError } from "./status.js";

const SCHOOL_KEY = "attendtoolkit.school";

function fields() {
  return $("atk-school").querySelectorAll("input[name], textarea[name]");
}

/** The details filled in, by field name (empty fields left out). */
export function schoolDetails() {
  const details = {};
  for (const field of fields()) {
    if (field.value.trim()) details[field.name] = field.value.trim();
  }
  return details;
}

function fillSchool(details) {
  for (const field of fields()) field.value = details[field.name] || "";
}

/** Fill the form from this browser, keep each change, and save or load the details as a file. */
export function initSchoolDetails() {
  try { fillSchool(JSON.parse(localStorage.getItem(SCHOOL_KEY) || "{}")); } catch { /* ignore a damaged entry */ }
  $("atk-school").addEventListener("input", () => localStorage.setItem(SCHOOL_KEY, JSON.stringify(schoolDetails())));
  $("atk-school-save").onclick = () => {
    saveFile([JSON.stringify(schoolDetails(), null, 2) + "\n"], "application/json", "school-details.json");
  };
  $("atk-school-load").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const details = JSON.parse(await file.text());
      fillSchool(details);
      localStorage.setItem(SCHOOL_KEY, JSON.stringify(schoolDetails()));
      setStatus(`School details loaded from ${file.name}.`, true);
    } catch {
      showError(`${file.name} is not a school details file (it should be the JSON file saved from this page).`);
    }
  });
}
