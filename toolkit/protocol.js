// The messages between the calculator page and its Web Worker (worker.js), and the page's side of
// the conversation: every request carries an id, its reply carries the same id, and a map of the
// requests still waiting settles each one's promise. Python's side is attendtoolkit.browser.handle,
// which answers every request (with the function of browser.py named beside each request below).
//
// A request made again replaces the one before it (a second file chosen while the first is still
// being read): the earlier promise is rejected with Superseded, and its late reply is dropped.

/**
 * @typedef {Object<string, string>} Manifest  file name -> "sha256-…" digest, written by the site build
 *
 * Requests, page to worker (each also has `id`, added by `request`):
 * @typedef {{type: "load", base: string, manifest: Manifest, loader: string}} LoadRequest
 *   Start Python (loader.js: `loader` is its checked text) and answer "ready"; policy_summary, letter_titles.
 * @typedef {{type: "classify", buffer: ArrayBuffer, name: string, asOf: ?string, log: ?ArrayBuffer, logName: ?string,
 *            dates: ("dmy"|"mdy"), phase: ?string, previous: ?ArrayBuffer, previousName: ?string, since: ?string,
 *            sheet: ?string}} ClassifyRequest
 *   Classify a register (classify_file): `log` the letters already sent, `previous` last year's register,
 *   `since` the date the worklist compares with, `sheet` the workbook sheet (null: the first). Answer "result",
 *   with "progress" messages on the way.
 * @typedef {{type: "downloads"}} DownloadsRequest  the CLI's outputs for the last result (download_files)
 * @typedef {{type: "letters", school: Object<string, string>, only: ?string, chosen: ?Array<[string, string]>}} LettersRequest
 *   Letters for the last result (render_letters): `only` one letter for every pupil, else the `chosen`
 *   [pupil_id, letter] pairs ticked in the queue.
 * @typedef {{type: "log", chosen: Array<[string, string]>, day: string}} LogRequest
 *   The letter log to keep (letter_log_file): the log read with the file and these as sent on `day`.
 * @typedef {{type: "pupil", index: number, context: string}} PupilRequest
 *   Pupil `index` of the last result (pupil_page); context: JSON text of {policy, as_of, source, letter_titles}.
 * @typedef {{type: "trend", request: string}} TrendRequest
 *   The trend for one group (trend_figure); JSON text of {weeks, series, group, previous, previous_weeks}.
 * @typedef {LoadRequest|ClassifyRequest|DownloadsRequest|LettersRequest|LogRequest|PupilRequest|TrendRequest} Request
 *
 * Replies, worker to page, with the id of the request they answer:
 * @typedef {{id: string, name: string, source: string, effective_from: ?string, stage_word: string,
 *            stages: Array<{id: string, name: string}>, flags: Array<{name: string, label: string}>}} PolicySummary
 *   The active policy (Policy.summary_json in attendtoolkit/policy/model.py).
 * @typedef {{type: "ready", id: number, policy: PolicySummary, letters: Object<string, string>}} ReadyReply
 *   letters: each letter's title by name.
 * @typedef {{type: "progress", id: number, step: ("read"|"headline"|"classified"|"preparing"), info: string}} ProgressMessage
 *   While a file is classified; info: JSON text ({rows, pupils}, {html: the first figures}, {done, total}, {}).
 * @typedef {{type: "result", id: number, view: {results: string, rows: string[], index: Object[], groups: Object[],
 *            stages: Array<[string, string]>}, overview: Object, queue: Object[], sheets: (string[]|undefined)}} ResultReply
 *   view: the rendered components; overview: the result without its pupils (the page never parses the whole
 *   result; its recent_weeks heads the pupil table's recent column); queue: the letter queue's groups; sheets: a workbook's sheet names (absent for CSV).
 * @typedef {{type: "downloads", id: number, json: string, csv: string, actionsCsv: string}} DownloadsReply
 * @typedef {{type: "letters", id: number, html: string, mergeCsv: string, count: number, pupils: number}} LettersReply
 * @typedef {{type: "log", id: number, csv: string}} LogReply
 * @typedef {{type: "pupil", id: number, html: string}} PupilReply
 * @typedef {{type: "trend", id: number, html: string}} TrendReply
 * @typedef {{type: "error", id: (number|undefined), text: string, sheets: (string[]|undefined)}} ErrorReply
 *   The answer to any request that failed, in words for people; without an id when no request caused it.
 * @typedef {{type: "status", text: string}} StatusMessage  a step of the worker's start, for the status line
 * @typedef {ReadyReply|ProgressMessage|ResultReply|DownloadsReply|LettersReply|LogReply|PupilReply|TrendReply|ErrorReply
 *           |StatusMessage} Reply
 */

/** The reply each request is answered with, when it does not fail. */
export const REPLIES = Object.freeze({
  load: "ready", classify: "result", downloads: "downloads", letters: "letters", log: "log", pupil: "pupil", trend: "trend",
});

/** A request replaced by a later one before its reply came: the page shows nothing for it. */
export class Superseded extends Error {}

/** A request the worker could not answer: `message` says why, for people; `sheets` as in ErrorReply. */
export class WorkerError extends Error {
  constructor(text, sheets) {
    super(text);
    this.sheets = sheets;
  }
}

/**
 * The page's side: `post(message, transfer)` sends to the worker; pass every message from the worker
 * to `receive`. `request(message, options)` resolves with the reply, or rejects with a WorkerError
 * or Superseded. options: transfer (ArrayBuffers to move, not copy), onProgress (called with each
 * ProgressMessage), replaces (request types whose waiting requests this one supersedes).
 */
export function createClient(post) {
  let last = 0;
  const waiting = new Map(); // id -> {type, resolve, reject, onProgress}

  /** @param {Request} message */
  function request(message, { transfer = [], onProgress = null, replaces = [] } = {}) {
    if (!REPLIES[message.type]) throw new TypeError(`The worker has no request called ${message.type}.`);
    for (const [id, older] of waiting) {
      if (replaces.includes(older.type)) {
        waiting.delete(id);
        older.reject(new Superseded(`${older.type} request ${id} was replaced by a later ${message.type} request.`));
      }
    }
    const id = ++last;
    return new Promise((resolve, reject) => {
      waiting.set(id, { type: message.type, resolve, reject, onProgress });
      post({ ...message, id }, transfer);
    });
  }

  /**
   * Settle the request a message from the worker answers. False for a message that answers no
   * request (status, or an error the worker met outside any request): the caller shows those.
   * @param {Reply} message
   */
  function receive(message) {
    if (message.id == null) return false;
    const asked = waiting.get(message.id);
    if (!asked) return true; // the late reply of a superseded request: dropped
    if (message.type === "progress") {
      if (asked.onProgress) asked.onProgress(message);
      return true;
    }
    waiting.delete(message.id);
    if (message.type === "error") asked.reject(new WorkerError(message.text, message.sheets));
    else if (message.type !== REPLIES[asked.type]) {
      asked.reject(new Error(`The calculator's worker answered a ${asked.type} request with ${message.type}.`));
    } else asked.resolve(message);
    return true;
  }

  return { request, receive, waiting: () => waiting.size };
}
