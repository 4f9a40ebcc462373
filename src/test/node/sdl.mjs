// /schema.graphql is exactly the live schema: the SDL and the introspection build the same schema.
import { buildSchema, buildClientSchema, getIntrospectionQuery, printSchema, lexicographicSortSchema,
  isObjectType, isInterfaceType, isInputObjectType, isEnumType } from "graphql";
import { base, check, done, server } from "./common.mjs";

const sdl = await (await fetch(base + "/schema.graphql")).text();
const live = buildClientSchema(await server(getIntrospectionQuery({ specifiedByUrl: true, inputValueDeprecation: true })));
const served = buildSchema(sdl);
const a = printSchema(lexicographicSortSchema(live));
const b = printSchema(lexicographicSortSchema(served));
check("/schema.graphql prints the schema introspection describes", a === b, firstDifference(a, b));
for (const scalar of ["Long", "BigDecimal", "Date", "DateTime", "JSON", "Bytes", "LocalTime"]) {
  const t = live.getType(scalar);
  check("scalar " + scalar + " names its format (@specifiedBy)", !t || Boolean(t.specifiedByURL), scalar);
}
check("@defer is not advertised", !live.getDirective("defer"));

// what GraphiQL's docs panel and a schema linter read: a description on every type, field, argument and value
const undescribed = [];
for (const t of Object.values(live.getTypeMap())) {
  if (t.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(t.name)) continue;
  if (!t.description) undescribed.push(t.name);
  if (isObjectType(t) || isInterfaceType(t) || isInputObjectType(t)) {
    for (const f of Object.values(t.getFields())) {
      if (!f.description) undescribed.push(t.name + "." + f.name);
      for (const a of f.args ?? []) if (!a.description) undescribed.push(t.name + "." + f.name + "(" + a.name + ")");
    }
  }
  if (isEnumType(t)) for (const v of t.getValues()) if (!v.description) undescribed.push(t.name + "." + v.name);
}
check("every type, field, argument and enum value has a description", undescribed.length === 0, undescribed.slice(0, 20));
done();

function firstDifference(a, b) {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return { line: i + 1, introspected: x[i], served: y[i] };
    }
  }
  return null;
}
