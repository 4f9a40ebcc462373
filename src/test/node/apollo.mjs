// Apollo Client 4 with the gateway's generated typePolicies and nothing else: aggregates never
// shared as entities, rows of any key (string, composite) updated in the cache by mutations, no
// cache warnings in the development build, and Long/BigDecimal values exact.
globalThis.__DEV__ = true;
import { check, done, served, server, same, url } from "./common.mjs";
const { ApolloClient, InMemoryCache, HttpLink, gql } = await import("@apollo/client");

const { typePolicies, possibleTypes } = await served("/client/apollo.js");
const client = new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache({ typePolicies, possibleTypes }) });
const read = async (query, variables) => (await client.query({ query: gql(query), variables, fetchPolicy: "cache-first" })).data;
const strip = (d) => JSON.parse(JSON.stringify(d, (k, v) => (k === "__typename" ? undefined : v)));
const cached = (query, variables) => strip(client.readQuery({ query: gql(query), variables }));

// two aggregates with different filters, each with max { id name }: each keeps its own answer
// the same max id (2) with different max names: a cache that keys CityMaxFields by id mixes them up
const all = "{ citiesAggregate(where: {id: {eq: 2}}) { count max { id name } } }";
const one = "{ citiesAggregate(where: {stateId: {eq: 1}}) { count max { id name } } }";
await read(all);
await read(one);
check("the aggregate over one city reads back as the server answers", same(cached(all), await server(all)), cached(all));
check("the aggregate over one state's cities reads back as the server answers", same(cached(one), await server(one)), cached(one));

// two queries selecting different fields of one aggregate: neither drops the other's data
const counts = "{ citiesAggregate { count } }";
const names = "{ citiesAggregate { min { name } } }";
await read(counts);
await read(names);
check("a second selection of the same aggregate keeps the first's fields", same(cached(counts), await server(counts)), cached(counts));
check("and has its own", same(cached(names), await server(names)), cached(names));

// grouping and connections are values, never entities
const groups = "{ citiesGroupBy(by: [stateId]) { key { stateId } count } }";
await read(groups);
check("groups read back as the server answers", same(cached(groups), await server(groups)));
const page = "{ citiesConnection(first: 2) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }";
await read(page);
check("a connection page reads back as the server answers", same(cached(page), await server(page)));

// a string-keyed and a composite-keyed row: a mutation's answer updates what a cache-first read shows
const country = "{ countries { code name } }";
await read(country);
await client.mutate({ mutation: gql('mutation { updateCountry(code: "FR", set: {name: "République française"}) { code name } }') });
check("a string-keyed row shows its new value, cache-first", (await read(country)).countries.find((c) => c.code === "FR").name === "République française");
const shelves = "{ shelves { room slot label } }";
await read(shelves);
await client.mutate({ mutation: gql('mutation { updateShelf(room: "A", slot: 2, set: {label: "moved"}) { room slot label } }') });
check("a composite-keyed row shows its new value, cache-first", (await read(shelves)).shelves.find((s) => s.room === "A" && s.slot === 2).label === "moved");
// a row selected by nodeId alone is the same cache entry as by its key
const byNode = "{ shelves { nodeId label } }";
await read(byNode);
await client.mutate({ mutation: gql('mutation { updateShelf(room: "A", slot: 1, set: {label: "again"}) { room slot label } }') });
check("a row read by nodeId alone is the entry a keyed mutation updates", (await read(byNode)).shelves.some((s) => s.label === "again"));

// Long 2^53 + 1 and a BigDecimal with its scale arrive exactly
const big = await client.mutate({ mutation: gql('mutation { createAccount(data: {id: 1, views: "9007199254740993", balance: "1234567890123456.78"}) { id views balance } }') });
check("a Long of 2^53 + 1 arrives exactly", big.data.createAccount.views === "9007199254740993", big.data.createAccount);
check("a BigDecimal of 1234567890123456.78 arrives exactly", big.data.createAccount.balance === "1234567890123456.78", big.data.createAccount);
const again = await read("{ account(id: 1) { id views balance } }");
check("and reads back exactly", again.account.views === "9007199254740993" && again.account.balance === "1234567890123456.78", again);
const asNumbers = await server("mutation { updateAccount(id: 1, set: {views: 42, balance: 12.50}) { views balance } }");
check("inputs take numbers too", asNumbers.updateAccount.views === "42" && asNumbers.updateAccount.balance === "12.50", asNumbers);
done();
