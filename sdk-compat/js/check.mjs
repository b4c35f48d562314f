// Runs every method of the unmodified RunPod JS SDK (runpod-sdk 1.1.2) against an endpoint whose worker reads the
// runpod/mock-worker inputs (the mock's built-in worker does).
// Usage: RUNPOD_API_KEY=... [RUNPOD_TIME_SCALE=x] node check.mjs <baseUrl ending in /v2> <endpointId>
// The key comes from the environment, so it is not on a command line other users of the machine can list.
// RUNPOD_TIME_SCALE: how many times faster than the wall clock the endpoint's clock runs (a mock's --time-scale; 1).
// Prints one line per check and a closing "N passed, M failed"; exits non-zero on any failure.
import runpodSdk from "runpod-sdk";

const [baseUrl, endpointId] = process.argv.slice(2);
const apiKey = process.env.RUNPOD_API_KEY;
const timeScale = Number(process.env.RUNPOD_TIME_SCALE) > 0 ? Number(process.env.RUNPOD_TIME_SCALE) : 1;
if (!baseUrl || !apiKey || !endpointId) {
  console.error("usage: RUNPOD_API_KEY=... node check.mjs <baseUrl> <endpointId>");
  process.exit(2);
}
const endpoint = runpodSdk(apiKey, { baseUrl }).endpoint(endpointId);
let passed = 0;
let failed = 0;

function check(name, ok, seen) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}: ${JSON.stringify(seen)}`);
  }
}

async function attempt(name, body) {
  try {
    await body();
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: threw ${e && e.message}`);
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
// the SDK's default 3 s timeouts are for a warm cloud endpoint; a mock JVM just started on a busy CI machine may be slower
const T = 30000;

await attempt("run", async () => {
  const r = await endpoint.run({ input: { mock_return: "from-js", mock_delay: 1 } }, T);
  check("run answers IN_QUEUE with an id", r && r.status === "IN_QUEUE" && typeof r.id === "string", r);
  const s = await endpoint.status(r.id, T);
  check("status answers the job", s && s.id === r.id && s.started === true, s);
  const done = await endpoint.statusSync(r.id, 60000);
  check("statusSync holds until the job ends", done && done.status === "COMPLETED" && done.output === "from-js", done);
});

await attempt("runSync", async () => {
  const r = await endpoint.runSync({ input: { mock_return: [1, 2, 3] } });
  check("runSync answers the finished job", r && r.status === "COMPLETED" && same(r.output, [1, 2, 3]), r);
  const failedJob = await endpoint.runSync({ input: { mock_error: "boom" } });
  check("runSync of a failing job answers FAILED with an error", failedJob && failedJob.status === "FAILED"
      && typeof failedJob.error === "string", failedJob);
});

await attempt("stream", async () => {
  const r = await endpoint.run({ input: { mock_generator: true, mock_aggregate: true, mock_return: ["a", "b", "c"], mock_delay: 0.5 } }, T);
  const chunks = [];
  for await (const chunk of endpoint.stream(r.id)) {
    chunks.push(chunk.output);
    if (chunks.length > 10) {
      break; // a server that re-sends chunks would loop forever
    }
  }
  check("stream yields each chunk once and ends", same(chunks, ["a", "b", "c"]), chunks);
  const done = await endpoint.status(r.id, T);
  check("the streamed job's output is the aggregate", done.status === "COMPLETED" && same(done.output, ["a", "b", "c"]), done);
});

await attempt("cancel", async () => {
  const r = await endpoint.run({ input: { mock_delay: 600 } }, T);
  const c = await endpoint.cancel(r.id, T);
  check("cancel answers CANCELLED", c && c.id === r.id && c.status === "CANCELLED", c);
  const s = await endpoint.status(r.id, T);
  check("a cancelled job stays CANCELLED", s.status === "CANCELLED", s);
});

await attempt("health", async () => {
  const h = await endpoint.health(T);
  const jobKeys = ["completed", "failed", "inProgress", "inQueue", "retried"];
  const workerKeys = ["idle", "initializing", "ready", "running", "throttled"];
  check("health has every counter", h && jobKeys.every((k) => Number.isInteger(h.jobs[k]))
      && workerKeys.every((k) => Number.isInteger(h.workers[k])), h);
});

await attempt("purgeQueue", async () => {
  let p;
  try {
    p = await endpoint.purgeQueue(T);
  } catch (e) {
    // /purge-queue allows 2 requests per 10 s, and the suite's own purge checks may have just used them: like a
    // polite client, wait out Retry-After once (the SDK throws on any status but 2xx)
    if (!e.response || e.response.status !== 429) {
      throw e;
    }
    const seconds = Number(e.response.headers["retry-after"]) || 10; // the endpoint's seconds
    await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / timeScale + 100));
    p = await endpoint.purgeQueue(T);
  }
  check("purgeQueue answers {removed, status: completed}", p && p.status === "completed" && Number.isInteger(p.removed), p);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
