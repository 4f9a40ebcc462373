// Live queries with the reference client (graphql-ws over the ws package): the first result at once,
// an update right after a mutation from another client, nothing when an unrelated table changes,
// each role's own rows, and the protocol's answers to a bad document and a bad credential.
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { base, check, done, server } from "./common.mjs";

const wsUrl = base.replace(/^http/, "ws") + "/graphql";
const secret = process.argv[3];
const client = (params) => createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: params, retryAttempts: 0, lazy: true });

/** Subscribes and collects every result; returns {results, next(ms): the next result or null, stop, ended}. */
function watch(c, query, variables = {}) {
  const results = [];
  const waiting = [];
  const state = { error: null, ended: false };
  const stop = c.subscribe({ query, variables }, {
    next: (r) => { results.push(r); waiting.splice(0).forEach((w) => w()); },
    error: (e) => { state.error = e; waiting.splice(0).forEach((w) => w()); },
    complete: () => { state.ended = true; waiting.splice(0).forEach((w) => w()); },
  });
  let seen = 0;
  const next = (ms) => new Promise((resolve) => {
    if (results.length > seen) return resolve(results[seen++]);
    const t = setTimeout(() => resolve(null), ms);
    waiting.push(() => { clearTimeout(t); resolve(results.length > seen ? results[seen++] : null); });
  });
  return { results, next, stop, state };
}

const admin = client({ "X-Modelgate-Admin-Secret": secret });
const anonymous = client({});
const cities = "subscription { cities(orderBy: [{id: ASC}]) { id name } }";

const a = watch(admin, cities);
const first = await a.next(3000);
check("the first result comes at once", first?.data?.cities?.length === 4, first);

const started = Date.now();
await server('mutation { updateCity(id: 1, set: {name: "San José"}) { id } }', {}, secret);
const update = await a.next(2000);
check("an update comes after a mutation from another client", update?.data?.cities?.[0]?.name === "San José", update);
check("  well within one poll interval (" + (Date.now() - started) + " ms)", Date.now() - started < 900);

await server('mutation { updateCountry(code: "FR", set: {name: "France!"}) { code } }', {}, secret);
check("nothing comes when an unrelated table changes", (await a.next(1500)) === null);

const mine = watch(anonymous, cities);
const own = await mine.next(3000);
check("another role sees only its rows", own?.data?.cities?.length === 2 && own.data.cities.every((c) => c.id <= 2), own);

const bad = watch(anonymous, "subscription { cities { nope } }");
await bad.next(2000);
check("a document that does not validate gets an error message", Array.isArray(bad.state.error) && bad.state.error[0].extensions.code === "GRAPHQL_VALIDATION_FAILED", bad.state.error);

const closed = await new Promise((resolve) => {
  const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: "Bearer not-a-token" }, retryAttempts: 0,
    lazy: true, on: { closed: (e) => resolve(e) } });
  c.subscribe({ query: cities }, { next: () => {}, error: () => {}, complete: () => {} });
});
check("a bad credential closes the socket with 4403", closed && closed.code === 4403, closed && { code: closed.code, reason: closed.reason });

const once = await new Promise((resolve) => {
  const out = [];
  admin.subscribe({ query: "{ citiesAggregate { count } }" }, { next: (r) => out.push(r), error: (e) => resolve({ error: e }), complete: () => resolve(out) });
});
check("a query over the socket gets one result, then complete", Array.isArray(once) && once.length === 1 && once[0].data.citiesAggregate.count === 4, once);

a.stop();
mine.stop();
await admin.dispose();
await anonymous.dispose();
done();
