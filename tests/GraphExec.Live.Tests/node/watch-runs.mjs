// Watches live runs with Microsoft's official SignalR client and its default options, as a developer integrating with the
// documented hub would, and prints one JSON line per run for the test to check.
//
//   node watch-runs.mjs in-a-row    starts RUNS runs one after the other, each watched on a new connection
//   node watch-runs.mjs reconnect   watches one run on a connection that reconnects by itself; prints {"watching":...}
//                                   once subscribed and an event came, so that the test can cut the connection then
//
// Environment: API_URL, HUB_URL, TOKEN, GRAPH_ID, RUNS (in-a-row), EXECUTION_ID (reconnect).
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";

const { API_URL, HUB_URL, TOKEN, GRAPH_ID, EXECUTION_ID } = process.env;
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

async function inARow(runs) {
  for (let run = 1; run <= runs; run++) {
    const connection = connect();
    try {
      const executionId = await startRun();
      const events = collect(connection, executionId);
      await connection.start();
      await connection.invoke("Subscribe", executionId, 0);
      const status = await events.completed;
      print({ run, executionId, transport: transportOf(connection), status, sequences: events.sequences });
    } catch (error) {
      print({ run, error: String(error?.message ?? error) });
    } finally {
      await connection.stop();
    }
  }
}

async function reconnect(executionId) {
  const connection = connect(new HubConnectionBuilder().withAutomaticReconnect([0, 200, 500, 1000, 2000, 5000]));
  let reconnects = 0;
  let last = 0;
  let firstEvent;
  const first = new Promise((resolve) => (firstEvent = resolve));
  const events = collect(connection, executionId, (event) => {
    last = Math.max(last, event.sequence);
    firstEvent();
  });
  // Resumes after the last event seen: the hub replays what was missed, without gaps or duplicates.
  connection.onreconnected(async () => {
    reconnects++;
    await connection.invoke("Subscribe", executionId, last);
  });
  try {
    await connection.start();
    await connection.invoke("Subscribe", executionId, 0);
    await first;
    print({ watching: executionId, transport: transportOf(connection) });
    const status = await events.completed;
    print({ executionId, transport: transportOf(connection), status, reconnects, sequences: events.sequences });
  } catch (error) {
    print({ error: String(error?.message ?? error), reconnects, sequences: events.sequences });
  } finally {
    await connection.stop();
  }
}

const mode = process.argv[2];
if (mode === "in-a-row") await inARow(Number(process.env.RUNS ?? 20));
else if (mode === "reconnect") await reconnect(EXECUTION_ID);
else throw new Error(`unknown mode ${mode}`);
