// Watches live runs with Microsoft's official SignalR client and its default options, as a developer integrating with the
// documented hub would, and prints one JSON line per run for the test to check.
//
//   node watch-runs.mjs in-a-row    starts RUNS runs one after the other, each watched on a new connection
//   node watch-runs.mjs browser     the same in Chromium (the Debian package, driven by Playwright), from a page of another
//                                   origin that loads the client's browser bundle
//   node watch-runs.mjs reconnect   connects, then starts one run and watches it on a connection that reconnects by
//                                   itself; prints {"watching":...} once subscribed and an event came, so that the test
//                                   can cut the connection while the run goes on
//
// Environment: API_URL, HUB_URL, TOKEN, GRAPH_ID, RUNS (in-a-row, browser).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { chromium } from "playwright-core";

const { API_URL, HUB_URL, TOKEN, GRAPH_ID } = process.env;
const patienceMs = 120_000;

const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

function connect(builder = new HubConnectionBuilder()) {
  return builder.withUrl(HUB_URL, { accessTokenFactory: () => TOKEN }).configureLogging(LogLevel.Warning).build();
}

// The transport the client settled on, as the client itself names it.
const transportOf = (connection) => connection.connection.transport?.constructor?.name ?? "none";

async function startRun() {
  const response = await fetch(`${API_URL}api/graphs/${GRAPH_ID}/executions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ inputs: { who: "Ada" }, live: true }),
  });
  if (!response.ok) throw new Error(`Starting a run answered ${response.status}: ${await response.text()}`);
  return (await response.json()).executionId;
}

// Collects one execution's events until its ExecutionCompleted.
function collect(connection, executionId, onEvent = () => {}) {
  const sequences = [];
  const completed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ExecutionCompleted within ${patienceMs} ms`)), patienceMs);
    connection.on("ExecutionEvent", (event) => {
      if (event.executionId !== executionId) return;
      sequences.push(event.sequence);
      onEvent(event);
      if (event.type === "ExecutionCompleted") {
        clearTimeout(timer);
        resolve(event.status);
      }
    });
  });
  return { sequences, completed };
}

// Watches one run on a new connection in this process.
async function watchInNode(executionId) {
  const connection = connect();
  try {
    const events = collect(connection, executionId);
    await connection.start();
    await connection.invoke("Subscribe", executionId, 0);
    const status = await events.completed;
    return { transport: transportOf(connection), status, sequences: events.sequences };
  } finally {
    await connection.stop();
  }
}

// Starts each run, then watches it on a new connection; a failure is printed and the next run goes on.
async function inARow(runs, watch) {
  for (let run = 1; run <= runs; run++) {
    try {
      const executionId = await startRun();
      print({ run, executionId, ...(await watch(executionId)) });
    } catch (error) {
      print({ run, error: String(error?.message ?? error) });
    }
  }
}

// A page of another origin, served by this script on loopback, with the client's browser bundle, in Chromium.
async function inBrowser(runs) {
  const bundle = await readFile(createRequire(import.meta.url).resolve("@microsoft/signalr/dist/browser/signalr.js"));
  const site = createServer((request, response) => {
    const script = request.url === "/signalr.js";
    response.writeHead(200, { "Content-Type": script ? "text/javascript" : "text/html" });
    response.end(script ? bundle : '<!doctype html><script src="/signalr.js"></script>');
  });
  await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${site.address().port}/`);
    await inARow(runs, (executionId) =>
      page.evaluate(async ({ hub, token, executionId }) => {
        const connection = new signalR.HubConnectionBuilder().withUrl(hub, { accessTokenFactory: () => token }).build();
        const sequences = [];
        const completed = new Promise((resolve) =>
          connection.on("ExecutionEvent", (event) => {
            sequences.push(event.sequence);
            if (event.type === "ExecutionCompleted") resolve(event.status);
          }));
        try {
          await connection.start();
          await connection.invoke("Subscribe", executionId, 0);
          const status = await completed;
          return { transport: connection.connection.transport.constructor.name, status, sequences };
        } finally {
          await connection.stop();
        }
      }, { hub: HUB_URL, token: TOKEN, executionId }));
  } finally {
    await browser.close();
    site.close();
  }
}

async function reconnect() {
  const connection = connect(new HubConnectionBuilder().withAutomaticReconnect([0, 200, 500, 1000, 2000, 5000]));
  let reconnects = 0;
  let last = 0;
  let executionId;
  let events;
  let firstEvent;
  const first = new Promise((resolve) => (firstEvent = resolve));
  // Resumes after the last event seen: the hub replays what was missed, without gaps or duplicates.
  connection.onreconnected(async () => {
    reconnects++;
    await connection.invoke("Subscribe", executionId, last);
  });
  try {
    // Connected before the run starts, however long this process took to start: the run is still going when cut.
    await connection.start();
    executionId = await startRun();
    events = collect(connection, executionId, (event) => {
      last = Math.max(last, event.sequence);
      firstEvent();
    });
    await connection.invoke("Subscribe", executionId, 0);
    await first;
    print({ watching: executionId, transport: transportOf(connection) });
    const status = await events.completed;
    print({ executionId, transport: transportOf(connection), status, reconnects, sequences: events.sequences });
  } catch (error) {
    print({ error: String(error?.message ?? error), reconnects, sequences: events?.sequences ?? [] });
  } finally {
    await connection.stop();
  }
}

const mode = process.argv[2];
if (mode === "in-a-row") await inARow(Number(process.env.RUNS ?? 20), watchInNode);
else if (mode === "browser") await inBrowser(Number(process.env.RUNS ?? 20));
else if (mode === "reconnect") await reconnect();
else throw new Error(`unknown mode ${mode}`);
