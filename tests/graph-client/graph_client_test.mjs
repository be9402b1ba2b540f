// Drives `securescore serve`'s Graph-compatible endpoints with Microsoft's official
// JavaScript client (@microsoft/microsoft-graph-client), exactly as an existing Graph tool
// would: only baseUrl and the token differ.
//
//   node graph_client_test.mjs /path/to/securescore
//
// It builds a temporary store (three days of one generated tenant), creates an operator
// token scoped to that tenant, starts the server on a free loopback port, and checks
// secureScores paging ($top/$skip), listing and getting control profiles, and a PATCH with
// Prefer: return=representation. Exits non-zero on the first failed check.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { Client, HTTPMessageHandler } from "@microsoft/microsoft-graph-client";

const binary = process.argv[2];
if (!binary) {
  console.error("usage: node graph_client_test.mjs /path/to/securescore");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "securescore-graph-client-"));
const db = `sqlite:${join(dir, "store.db")}`;
const run = (...args) => execFileSync(binary, ["--db", db, ...args], { encoding: "utf8" });

let server;
try {
  const snapshot = join(dir, "snapshot.json");
  execFileSync(binary, ["generate", "--users", "60", "--seed", "5", "-o", snapshot]);
  const text = readFileSync(snapshot, "utf8");
  for (const day of ["2026-11-28", "2026-11-29", "2026-11-30"]) {
    const file = join(dir, `${day}.json`);
    writeFileSync(file, text.replace(/"collectedAt":"[^"]*"/, `"collectedAt":"${day}T04:00:00Z"`));
    run("ingest", file, "--tenant", "graph-tenant");
  }
  const token = run("token", "create", "--role", "operator", "--tenant", "graph-tenant").trim();
  assert.match(token, /^sst_[0-9a-f]+_[0-9a-f]+$/, "token create prints only the token");

  server = spawn(binary, ["--db", db, "serve", "--listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  server.stderr.on("data", (d) => (stderr += d));
  const base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    server.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });

  // The client's default AuthenticationHandler sends the authProvider's token only to https
  // URLs of Graph or customHosts, and strips Authorization from any other request. This test
  // server speaks plain http on loopback, so the client is built with the documented custom
  // middleware chain: a bearer middleware (what the authProvider would supply) followed by
  // the library's own HTTPMessageHandler. Behind a TLS proxy, Client.init with authProvider,
  // baseUrl and customHosts works unchanged.
  const graphClient = (bearer) => {
    const bearerMiddleware = {
      execute: async (context) => {
        context.options.headers = { ...(context.options.headers || {}), Authorization: `Bearer ${bearer}` };
        return bearerMiddleware.next.execute(context);
      },
      setNext: (next) => (bearerMiddleware.next = next),
    };
    bearerMiddleware.setNext(new HTTPMessageHandler());
    return Client.initWithMiddleware({ middleware: bearerMiddleware, baseUrl: base, defaultVersion: "v1.0" });
  };
  const client = graphClient(token);

  // secureScores: newest day first, paged with $top/$skip and @odata.nextLink.
  const page1 = await client.api("/security/secureScores").top(2).get();
  assert.equal(page1.value.length, 2);
  assert.equal(page1.value[0].id, "graph-tenant_2026-11-30");
  assert.equal(page1.value[1].id, "graph-tenant_2026-11-29");
  assert.ok(page1["@odata.nextLink"], "a nextLink when more days remain");
  assert.equal(typeof page1.value[0].currentScore, "number");
  assert.ok(Array.isArray(page1.value[0].controlScores) && page1.value[0].controlScores.length > 0);
  const page2 = await client.api("/security/secureScores").top(2).skip(2).get();
  assert.equal(page2.value.length, 1);
  assert.equal(page2.value[0].id, "graph-tenant_2026-11-28");
  assert.equal(page2["@odata.nextLink"], undefined);
  // The client takes absolute URLs only for Graph's own hosts; elsewhere a nextLink is followed
  // as a path below the base URL.
  const nextLink = page1["@odata.nextLink"];
  assert.ok(nextLink.startsWith(`${base}/v1.0/`), nextLink);
  const next = await client.api(nextLink.slice(`${base}/v1.0`.length)).get();
  assert.equal(next.value[0].id, "graph-tenant_2026-11-28");

  // Control profiles: list, then get one.
  const profiles = await client.api("/security/secureScoreControlProfiles").top(5).get();
  assert.equal(profiles.value.length, 5);
  const id = profiles.value[0].id;
  const one = await client.api(`/security/secureScoreControlProfiles/${id}`).get();
  assert.equal(one.id, id);
  assert.equal(one.azureTenantId, "graph-tenant");
  assert.equal(one.controlStateUpdates[0].state, "Default");

  // PATCH with Prefer: return=representation answers 200 with the profile.
  const updated = await client
    .api(`/security/secureScoreControlProfiles/${id}`)
    .header("Prefer", "return=representation")
    .patch({
      state: "ThirdParty",
      comment: "Covered by our vendor",
      assignedTo: "secops@example.org",
      vendorInformation: { provider: "SecureScore", vendor: "Microsoft" },
    });
  const last = updated.controlStateUpdates[updated.controlStateUpdates.length - 1];
  assert.equal(last.state, "ThirdParty");
  assert.equal(last.comment, "Covered by our vendor");
  assert.equal(last.assignedTo, "secops@example.org");
  // Without the header: 204 and nothing to parse.
  await client.api(`/security/secureScoreControlProfiles/${id}`).patch({ state: "Reviewed" });
  const after = await client.api(`/security/secureScoreControlProfiles/${id}`).get();
  assert.equal(after.controlStateUpdates.at(-1).state, "Reviewed");

  // A wrong token is refused the way Graph refuses it.
  const stranger = graphClient("sst_0000_0000");
  await assert.rejects(stranger.api("/security/secureScores").get(), (e) => e.statusCode === 401);

  server.kill("SIGTERM");
  const code = await new Promise((resolve) => server.on("exit", resolve));
  assert.equal(code, 0, "serve stops cleanly on SIGTERM");
  server = undefined;
  console.log("graph-client: all checks passed");
} catch (e) {
  console.error("graph-client test failed:", e);
  process.exitCode = 1;
} finally {
  if (server) server.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
