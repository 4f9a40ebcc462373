// Live queries over Server-Sent Events with the reference client (graphql-sse, distinct connections):
// the first result, an update after a mutation, and the answers to a bad document and a bad credential.
import { createClient } from "graphql-sse";
import { base, check, done, server } from "./common.mjs";

const secret = process.argv[3];
const url = base + "/graphql/stream";
const client = (headers) => createClient({ url, headers, retryAttempts: 0 });

function watch(c, query) {
  const results = [];
  const waiting = [];
  const state = { error: null };
  const stop = c.subscribe({ query }, {
    next: (r) => { results.push(r); waiting.splice(0).forEach((w) => w()); },
    error: (e) => { state.error = e; waiting.splice(0).forEach((w) => w()); },
    complete: () => { waiting.splice(0).forEach((w) => w()); },
  });
  let seen = 0;
  const next = (ms) => new Promise((resolve) => {
    if (results.length > seen) return resolve(results[seen++]);
    const t = setTimeout(() => resolve(null), ms);
    waiting.push(() => { clearTimeout(t); resolve(results.length > seen ? results[seen++] : null); });
  });
  return { next, stop, state };
}

const admin = client({ "X-Modelgate-Admin-Secret": secret });
const w = watch(admin, "subscription { countries { code name } }");
const first = await w.next(3000);
check("the first result comes at once", first?.data?.countries?.length === 1, first);
await server('mutation { updateCountry(code: "FR", set: {name: "France (SSE)"}) { code } }', {}, secret);
const update = await w.next(2000);
check("an update comes after a mutation", update?.data?.countries?.[0]?.name === "France (SSE)", update);
w.stop();

const bad = watch(admin, "subscription { countries { nope } }");
await bad.next(2000);
check("a document that does not validate is an error", bad.state.error !== null, String(bad.state.error));

const denied = watch(client({ Authorization: "Bearer not-a-token" }), "subscription { countries { code } }");
await denied.next(2000);
check("a bad credential is refused", denied.state.error !== null && String(denied.state.error).includes("401"), String(denied.state.error));

admin.dispose();
done();
