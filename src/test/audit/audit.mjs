// Runs graphql-http's server audits (the GraphQL-over-HTTP spec's MUST, SHOULD and MAY checks)
// against the URL given, prints each one that is not ok and a summary line; exits 1 if any failed.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
let ok = 0;
let notOk = 0;
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  if (result.status === 'ok') {
    ok++;
  } else {
    notOk++;
    console.log(`${audit.id} ${audit.name}: ${result.status}: ${result.reason}`);
  }
}
console.log(`${ok} ok, ${notOk} not ok of ${ok + notOk}`);
process.exit(notOk === 0 ? 0 : 1);
