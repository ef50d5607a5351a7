// The Node side of benchmarks/peers/run.sh: one of Dwolla's Node SDKs through
// the create-then-retrieve sequence, against the same mock server as the
// Rust client, printing the same JSON line as `peers client` (the test kit's
// example).
//
//   node benchmarks/peers/run.mjs <modules> <dwolla|dwolla-v2> <base> <partner> <sequences> <tasks>
//
// <modules> is the node_modules folder the SDKs were installed into
// (npm install --prefix). A fresh SDK client fetches its token on its first
// call, as in a new process; <tasks> concurrent workers share the client.
import { createRequire } from "node:module";
import path from "node:path";

const [modules, sdk, base, partner, sequencesArg, tasksArg] = process.argv.slice(2);
const sequences = Number(sequencesArg);
const tasks = Math.max(1, Number(tasksArg));
const require = createRequire(path.join(path.resolve(modules), "peers.cjs"));

/** One create-then-retrieve through the official SDK (`dwolla`). */
function official() {
  const { Dwolla } = require("dwolla");
  const dwolla = new Dwolla({
    serverURL: base,
    security: { clientID: "bench-key", clientSecret: "bench-secret" },
  });
  const href = `${base}/exchange-partners/${partner}`;
  return async () => {
    const created = await dwolla.customers.exchangeSessions.create({
      id: "c-1",
      requestBody: { links: { exchangePartner: { href } } },
    });
    const location = [created.headers.location ?? created.headers.Location].flat()[0];
    const id = location.split("/").pop();
    await dwolla.exchangeSessions.get({ id });
  };
}

/** One create-then-retrieve through `dwolla-v2`, pointed at the mock (it
 * knows only Dwolla's hosts, so its URLs are set after construction). */
function v2() {
  const { Client } = require("dwolla-v2");
  const dwolla = new Client({ key: "bench-key", secret: "bench-secret", environment: "sandbox" });
  dwolla.tokenUrl = `${base}/token`;
  dwolla.apiUrl = base;
  const body = { _links: { "exchange-partner": { href: `${base}/exchange-partners/${partner}` } } };
  return async () => {
    const created = await dwolla.post("customers/c-1/exchange-sessions", body);
    const location = created.headers.get("location");
    await dwolla.get(location);
  };
}

const sequence = sdk === "dwolla" ? official() : v2();
const perTask = Math.ceil(sequences / tasks);
let firstDone = 0;
const started = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all(
  Array.from({ length: tasks }, async () => {
    for (let i = 0; i < perTask; i++) {
      await sequence();
      firstDone ||= Date.now();
    }
  }),
);
const wall = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const done = perTask * tasks;
console.log(
  JSON.stringify({
    sequences: done,
    seq_per_s: Math.round(done / wall),
    cpu_us_per_seq: Number(((cpu.user + cpu.system) / done).toFixed(1)),
    peak_rss_mib: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    first_sequence_epoch_ms: firstDone,
  }),
);
