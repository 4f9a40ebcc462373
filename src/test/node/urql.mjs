// urql with graphcache and the gateway's generated keys, nothing else: the same checks as Apollo's.
import { check, done, served, server, same, url } from "./common.mjs";
const { Client, fetchExchange, gql } = await import("@urql/core");
const { cacheExchange } = await import("@urql/exchange-graphcache");

const { keys } = await served("/client/urql.js");
const client = new Client({ url, exchanges: [cacheExchange({ keys }), fetchExchange] });
const read = async (query, policy = "cache-first") => {
  const r = await client.query(gql(query), {}, { requestPolicy: policy }).toPromise();
  if (r.error) {
    throw r.error;
  }
  return r.data;
};
const strip = (d) => JSON.parse(JSON.stringify(d, (k, v) => (k === "__typename" ? undefined : v)));
const cached = async (query) => strip(await read(query, "cache-only"));

// the same max id (2) with different max names: a cache that keys CityMaxFields by id mixes them up
const all = "{ citiesAggregate(where: {id: {eq: 2}}) { count max { id name } } }";
const one = "{ citiesAggregate(where: {stateId: {eq: 1}}) { count max { id name } } }";
await read(all);
await read(one);
check("the aggregate over one city reads back as the server answers", same(await cached(all), await server(all)), await cached(all));
check("the aggregate over one state's cities reads back as the server answers", same(await cached(one), await server(one)), await cached(one));
const counts = "{ citiesAggregate { count } }";
const names = "{ citiesAggregate { min { name } } }";
await read(counts);
await read(names);
check("a second selection of the same aggregate keeps the first's fields", same(await cached(counts), await server(counts)));
check("and has its own", same(await cached(names), await server(names)));
const groups = "{ citiesGroupBy(by: [stateId]) { key { stateId } count } }";
await read(groups);
check("groups read back as the server answers", same(await cached(groups), await server(groups)));
const page = "{ citiesConnection(first: 2) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }";
await read(page);
check("a connection page reads back as the server answers", same(await cached(page), await server(page)));

const country = "{ countries { code name } }";
await read(country);
await client.mutation(gql('mutation { updateCountry(code: "FR", set: {name: "République française"}) { code name } }'), {}).toPromise();
check("a string-keyed row shows its new value, cache-first", (await read(country)).countries.find((c) => c.code === "FR").name === "République française");
const shelves = "{ shelves { room slot label } }";
await read(shelves);
await client.mutation(gql('mutation { updateShelf(room: "A", slot: 2, set: {label: "moved"}) { room slot label } }'), {}).toPromise();
check("a composite-keyed row shows its new value, cache-first", (await read(shelves)).shelves.find((s) => s.room === "A" && s.slot === 2).label === "moved");
done();
