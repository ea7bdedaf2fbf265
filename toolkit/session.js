// What the calculator page holds between one action and the next.

/**
 * engine: the worker's client (protocol.js createClient), once the checked worker has started;
 * current: the file whose results are on the page, {data: the result without its pupils, view, name,
 * queue, json, csv, actionsCsv (the downloads, once they have come)}, or null;
 * letterTitles: each letter's title by name, from the worker's "ready" reply.
 */
export const session = { engine: null, current: null, letterTitles: {} };
