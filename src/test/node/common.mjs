// Shared by the client checks: the gateway's URL, its served client configuration, and a strict
// watch on the console (any warning or error a client library prints fails the check).
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const base = process.argv[2];
if (!base) {
  throw new Error("usage: node <check>.mjs http://127.0.0.1:PORT");
}
export const url = base + "/graphql";

/** Imports a module the gateway serves under /client/, as a frontend would import the saved file. */
export async function served(path) {
  const text = await (await fetch(base + path)).text();
  const file = join(mkdtempSync(join(tmpdir(), "modelgate-")), path.split("/").pop());
  writeFileSync(file, text);
  return import(file);
}

export const printed = [];
for (const level of ["warn", "error"]) {
  const original = console[level];
  console[level] = (...args) => {
    printed.push(level + ": " + args.map(String).join(" "));
    original(...args);
  };
}

let failures = 0;
export function check(name, ok, detail) {
  if (ok) {
    console.log("ok   " + name);
  } else {
    failures++;
    console.log("FAIL " + name + (detail === undefined ? "" : ": " + JSON.stringify(detail)));
  }
}

/** Ends the check: no warning or error printed, no check failed. */
export function done() {
  check("no warning or error printed by the client", printed.length === 0, printed);
  process.exit(failures === 0 ? 0 : 1);
}

/** A direct POST, to compare a cache's answer with the server's. */
export async function server(query, variables = {}, adminSecret = undefined) {
  const headers = { "content-type": "application/json" };
  if (adminSecret) {
    headers["x-modelgate-admin-secret"] = adminSecret;
  }
  const r = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await r.json();
  if (body.errors) {
    throw new Error(JSON.stringify(body.errors));
  }
  return body.data;
}

export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
