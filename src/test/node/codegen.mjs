// GraphQL Code Generator over the served schema with the served scalars map, then tsc --strict
// over a file that uses the generated types as a frontend would.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { base, check, done } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "modelgate-codegen-"));
const scalars = await (await fetch(base + "/client/codegen-scalars.json")).json();
writeFileSync(join(dir, "schema.graphql"), await (await fetch(base + "/schema.graphql")).text());
writeFileSync(join(dir, "ops.graphql"), `
query Accounts { accounts { id views balance opened } }
query Cities { citiesConnection(first: 2) { edges { cursor node { nodeId name } } pageInfo { endCursor } } }
`);
writeFileSync(join(dir, "codegen.json"), JSON.stringify({
  schema: join(dir, "schema.graphql"),
  documents: join(dir, "ops.graphql"),
  generates: { [join(dir, "generated.ts")]: { plugins: ["typescript", "typescript-operations"], config: { scalars, strictScalars: true } } },
}));
writeFileSync(join(dir, "usage.ts"), `
import type { AccountsQuery, CitiesQuery } from "./generated";
export function use(a: AccountsQuery, c: CitiesQuery): string {
  const account = a.accounts[0];
  const opened: Date = new Date(account.opened);
  const views: bigint = BigInt(account.views);
  const exact: string = account.balance;
  const cursor: string | null | undefined = c.citiesConnection.pageInfo.endCursor;
  return opened.toISOString() + views.toString() + exact + (cursor ?? "") + c.citiesConnection.edges.map((e) => e.node.nodeId).join();
}
`);
writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "es2020", module: "es2020", moduleResolution: "node", skipLibCheck: true }, files: ["usage.ts"] }));
const bin = (name) => join(here, "node_modules", ".bin", name);
try {
  execFileSync(bin("graphql-codegen"), ["--config", join(dir, "codegen.json")], { cwd: here, stdio: "pipe" });
  check("codegen loads the served schema and scalars", true);
} catch (e) {
  check("codegen loads the served schema and scalars", false, String(e.stdout) + String(e.stderr));
}
try {
  execFileSync(bin("tsc"), ["-p", join(dir, "tsconfig.json")], { stdio: "pipe" });
  check("the generated types compile a usage file under tsc --strict", true);
} catch (e) {
  check("the generated types compile a usage file under tsc --strict", false, String(e.stdout) + String(e.stderr));
}
done();
