package dev.modelgate.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.api.SchemaBuilder;
import dev.modelgate.model.ModelException;
import dev.modelgate.model.ModelParser;
import dev.modelgate.model.Models;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import graphql.schema.idl.SchemaPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.modelgate.support.Fixture.assertLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schemas MySQL shops and ported databases really run, built here in their shape: a
 * WordPress-style MariaDB schema (no foreign keys, unsigned auto-increment keys, zero dates,
 * {@code DEFAULT ''}), tables whose names are GraphQL's own, and an SQLite schema ported from
 * Access with dates as text in several formats. Every answer is compared with direct SQL or with
 * values written out by hand.
 */
class LegacySchemaTest {

    static final String[] WORDPRESS = {
            "CREATE TABLE wp_users (ID bigint(20) unsigned NOT NULL AUTO_INCREMENT, user_login varchar(60) NOT NULL DEFAULT '',"
                    + " user_registered datetime NOT NULL DEFAULT '0000-00-00 00:00:00', user_status int(11) NOT NULL DEFAULT 0,"
                    + " display_name varchar(250) NOT NULL DEFAULT '', PRIMARY KEY (ID), KEY user_login_key (user_login))",
            "CREATE TABLE wp_posts (ID bigint(20) unsigned NOT NULL AUTO_INCREMENT, post_author bigint(20) unsigned NOT NULL DEFAULT 0,"
                    + " post_date datetime NOT NULL DEFAULT '0000-00-00 00:00:00', post_date_gmt datetime NOT NULL DEFAULT '0000-00-00 00:00:00',"
                    + " post_content longtext NOT NULL, post_title text NOT NULL, post_status varchar(20) NOT NULL DEFAULT 'publish',"
                    + " post_name varchar(200) NOT NULL DEFAULT '', post_modified datetime NOT NULL, menu_order int(11) NOT NULL DEFAULT 0,"
                    + " guid varchar(255) NOT NULL DEFAULT (uuid()), comment_count bigint(20) NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (ID), KEY post_name (post_name(191)))",
            "CREATE TABLE wp_postmeta (meta_id bigint(20) unsigned NOT NULL AUTO_INCREMENT, post_id bigint(20) unsigned NOT NULL DEFAULT 0,"
                    + " meta_key varchar(255) DEFAULT NULL, meta_value longtext, PRIMARY KEY (meta_id), KEY post_id (post_id))",
            "CREATE TABLE wp_options (option_id bigint(20) unsigned NOT NULL AUTO_INCREMENT, option_name varchar(191) NOT NULL DEFAULT '',"
                    + " option_value longtext NOT NULL, autoload varchar(20) NOT NULL DEFAULT 'yes', PRIMARY KEY (option_id),"
                    + " UNIQUE KEY option_name (option_name))",
            "INSERT INTO wp_users (user_login, user_registered, display_name) VALUES ('admin', '2019-05-01 08:00:00', 'Admin'),"
                    + " ('ghost', '0000-00-00 00:00:00', '')",
            "INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_status, post_name, post_modified)"
                    + " VALUES (1, '2020-01-02 03:04:05', '2020-01-02 02:04:05', 'Hello', 'Hello world', 'publish', 'hello-world', '2020-01-03 00:00:00'),"
                    + " (1, '2020-02-01 10:00:00', '0000-00-00 00:00:00', 'Draft', 'A draft', 'draft', '', '0000-00-00 00:00:00'),"
                    + " (2, '0000-00-00 00:00:00', '0000-00-00 00:00:00', '', 'Auto draft', 'auto-draft', '', '2021-06-01 12:00:00'),"
                    + " (1, '2022-03-04 05:06:07', '2022-03-04 05:06:07', 'Bye', 'Last post', 'publish', 'last-post', '2022-03-05 00:00:00')",
            "INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES (1, '_edit_lock', '1577934245:1'), (1, '_thumbnail_id', '7'), (4, NULL, NULL)",
            "INSERT INTO wp_options (option_name, option_value) VALUES ('siteurl', 'http://example.test'), ('blogname', 'A blog')",
    };

    /** Every model's row count and keys, through the API, equal to direct SQL. */
    private static void everyTableMatchesSql(Fixture f) {
        for (var m : f.models.all()) {
            long count = f.number("SELECT COUNT(*) FROM " + f.db.dialect().quote(m.table()));
            JsonNode agg = f.data("{ " + m.plural() + "Aggregate { count } }");
            assertEquals(count, agg.get(m.plural() + "Aggregate").get("count").asLong(), m.name());
            if (m.singleKey() != null) {
                var key = m.singleKey();
                List<String> sql = f.query("SELECT " + f.db.dialect().quote(key.column()) + " AS k FROM " + f.db.dialect().quote(m.table())
                        + " ORDER BY 1").stream().map(r -> String.valueOf(r.get("k"))).toList();
                List<String> api = new ArrayList<>();
                f.data("{ " + m.plural() + " { " + key.name() + " } }").get(m.plural()).forEach(n -> api.add(n.get(key.name()).asText()));
                assertEquals(sql, api, m.name() + " keys");
            }
        }
    }

    @Test
    void aWordPressSchemaIsServedWithZeroDatesUnsignedKeysAndDefaults() {
        try (Fixture f = Fixture.introspected(TestDb.MARIADB, WORDPRESS)) {
            assertLines(f.introspection.sdl(), List.of(
                    "type WpPost @model(table: \"wp_posts\") {",
                    "  id: BigDecimal! @id @column(name: \"ID\", precision: 20, scale: 0)",
                    "  postDate: DateTime @column(zeroDates: true) @default(sql: \"'0000-00-00 00:00:00'\")",
                    "  postModified: DateTime @column(zeroDates: true)",
                    "  postName: String! @column(length: 200) @index @default(value: \"\")",
                    "  postStatus: String! @column(length: 20) @default(value: \"publish\")"));
            assertTrue(f.introspection.sdl().contains("guid: String! @default(sql: \"uuid()\")"), f.introspection.sdl());
            everyTableMatchesSql(f);

            // zero dates are null in lists, lookups and filters, and left out of aggregates
            JsonNode posts = f.data("{ wpPosts(orderBy: [{id: ASC}]) { id postDate postDateGmt postModified } }").get("wpPosts");
            assertTrue(posts.get(2).get("postDate").isNull() && posts.get(1).get("postDateGmt").isNull() && posts.get(1).get("postModified").isNull(),
                    posts.toString());
            assertEquals("2020-01-02T03:04:05.000Z", posts.get(0).get("postDate").asText());
            assertTrue(f.data("{ wpPost(id: 3) { postDate } }").get("wpPost").get("postDate").isNull());
            long zeroGmt = f.number("SELECT COUNT(*) FROM wp_posts WHERE post_date_gmt = '0000-00-00 00:00:00'");
            assertEquals(zeroGmt, f.data("{ wpPostsAggregate(where: {postDateGmt: {isNull: true}}) { count } }")
                    .get("wpPostsAggregate").get("count").asLong());
            assertEquals(4 - zeroGmt, f.data("{ wpPostsAggregate(where: {postDateGmt: {isNull: false}}) { count } }")
                    .get("wpPostsAggregate").get("count").asLong());
            assertEquals(List.of(1, 2), ids(f.data("{ wpPosts(where: {postDate: {lt: \"2021-01-01T00:00:00Z\"}}) { id } }").get("wpPosts")),
                    "a zero date is no date: not before 2021");
            JsonNode agg = f.data("{ wpPostsAggregate { min { postDate postDateGmt } max { postModified } } }").get("wpPostsAggregate");
            assertEquals("2020-01-02T03:04:05.000Z", agg.get("min").get("postDate").asText());
            assertEquals("2020-01-02T02:04:05.000Z", agg.get("min").get("postDateGmt").asText());
            assertEquals("2022-03-05T00:00:00.000Z", agg.get("max").get("postModified").asText());
            assertTrue(f.data("{ wpUsers(where: {userLogin: {eq: \"ghost\"}}) { userRegistered } }").get("wpUsers").get(0).get("userRegistered").isNull());

            // creates rely on the database's defaults and keys; null writes the zero date
            JsonNode created = f.data("mutation { createWpPost(data: {postContent: \"x\", postTitle: \"New\"}) "
                    + "{ id postDate postModified postStatus postName menuOrder commentCount guid } }").get("createWpPost");
            assertEquals(5, created.get("id").asInt());
            assertTrue(created.get("postDate").isNull() && created.get("postModified").isNull(), created.toString());
            assertEquals("publish", created.get("postStatus").asText());
            assertEquals("", created.get("postName").asText());
            assertEquals(36, created.get("guid").asText().length(), "the database's uuid()");
            assertEquals("0000-00-00 00:00:00", f.query("SELECT CAST(post_modified AS CHAR) AS m FROM wp_posts WHERE ID = 5").get(0).get("m"));
            f.data("mutation { updateWpPost(id: 1, set: {postDateGmt: null}) { id } }");
            assertEquals("0000-00-00 00:00:00", f.query("SELECT CAST(post_date_gmt AS CHAR) AS m FROM wp_posts WHERE ID = 1").get(0).get("m"));

            // a key beyond Long comes back exact
            f.sql("ALTER TABLE wp_options AUTO_INCREMENT = 18446744073709551610");
            Map<String, Object> result = f.run("mutation { createWpOption(data: {optionName: \"big\", optionValue: \"v\"}) { optionId autoload } }");
            assertNull(result.get("errors"), String.valueOf(result.get("errors")));
            @SuppressWarnings("unchecked")
            Map<String, Object> option = (Map<String, Object>) ((Map<String, Object>) result.get("data")).get("createWpOption");
            assertEquals(0, new BigDecimal("18446744073709551610").compareTo(new BigDecimal(option.get("optionId").toString())), option.toString());
            assertEquals("yes", option.get("autoload"));
            assertEquals("big", f.query("SELECT option_name AS n FROM wp_options WHERE option_id = 18446744073709551610").get(0).get("n"));
        }
    }

    private static List<Integer> ids(JsonNode list) {
        List<Integer> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("id").asInt()));
        return out;
    }

    static String[] reservedNames(TestDb db) {
        String text = db == TestDb.MARIADB ? "varchar(50)" : "VARCHAR(50)";
        return new String[]{
                "CREATE TABLE strings (id INTEGER PRIMARY KEY, " + "val " + text + " NOT NULL)",
                "CREATE TABLE query (id INTEGER PRIMARY KEY, q " + text + ")",
                "CREATE TABLE node (id INTEGER PRIMARY KEY, label " + text + ")",
                "CREATE TABLE page_info (id INTEGER PRIMARY KEY, cursor_text " + text + ")",
                "CREATE TABLE json (id INTEGER PRIMARY KEY, body " + text + ")",
                "CREATE TABLE states (id INTEGER PRIMARY KEY, name " + text + ")",
                "CREATE TABLE state_where (id INTEGER PRIMARY KEY, state_id INTEGER REFERENCES states(id))",
                "INSERT INTO strings VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO query VALUES (1, 'q')",
                "INSERT INTO node VALUES (1, 'n'), (2, 'm'), (3, 'o')",
                "INSERT INTO page_info VALUES (1, 'c')",
                "INSERT INTO json VALUES (1, '{}')",
                "INSERT INTO states VALUES (1, 'Ohio')",
                "INSERT INTO state_where VALUES (1, 1)",
        };
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void tablesNamedLikeGraphqlsOwnTypesGetRowNames(TestDb db) {
        try (Fixture f = Fixture.introspected(db, reservedNames(db))) {
            assertLines(f.introspection.sdl(), List.of(
                    "type StringRow @model(table: \"strings\") {",
                    "type QueryRow @model(table: \"query\") {",
                    "type NodeRow @model(table: \"node\") {",
                    "type PageInfoRow @model(table: \"page_info\") {",
                    "type Json @model(table: \"json\") {",
                    "type State @model(table: \"states\") {",
                    "type StateWhereRow @model(table: \"state_where\") {"));
            assertTrue(f.introspection.warnings().contains("strings: model StringRow, not String (String is a type every derived API has"
                    + " (a built-in scalar, a root or shared type))"), f.introspection.warnings().toString());
            everyTableMatchesSql(f);
            assertEquals("Ohio", f.data("{ stateWhereRows { state { name } } }").get("stateWhereRows").get(0).get("state").get("name").asText());
            // the printed models, served from files, give the same API
            Models fromFiles = ModelParser.parse(List.of(new ModelParser.Source("introspected.graphqls", f.introspection.sdl())));
            SchemaPrinter printer = new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(false));
            assertEquals(printer.print(SchemaBuilder.build(f.models)), printer.print(SchemaBuilder.build(fromFiles)));
        }
    }

    @Test
    void aHandWrittenModelWithABuiltInNameIsAModelErrorThatSaysWhatToRename() {
        ModelException e = assertThrows(ModelException.class, () -> ModelParser.parse(List.of(new ModelParser.Source("m.graphqls", """
                type String @model(table: "strings") { id: Int! @id }
                type State @model(table: "states") { id: Int! @id }
                type StateWhere @model(table: "state_where") { id: Int! @id }
                type __Secret @model(table: "secrets") { id: Int! @id }
                """))));
        String all = e.problems().toString();
        assertTrue(all.contains("String: String is a type every derived API has") && all.contains("rename the type, e.g. StringRow"), all);
        assertTrue(all.contains("StateWhere: StateWhere is the Where type derived for State"), all);
        assertTrue(all.contains("__Secret: names starting with __ are reserved by GraphQL"), all);
    }

    /** The stored values of orders.placed, and the instants they mean (written out by hand). */
    static final List<Object[]> PLACED = List.of(
            new Object[]{"'2016-07-04'", "2016-07-04T00:00:00Z"},
            new Object[]{"'2016-07-04 10:30:00'", "2016-07-04T10:30:00Z"},
            new Object[]{"'2016-07-04T23:59:59.5'", "2016-07-04T23:59:59.500Z"},
            new Object[]{"'2016-07-05T01:00:00+02:00'", "2016-07-04T23:00:00Z"},
            new Object[]{"1467763200", "2016-07-06T00:00:00Z"},
            new Object[]{"'2016-07-03T23:00:00Z'", "2016-07-03T23:00:00Z"},
            new Object[]{"'2016-07-06 00:00:00.250'", "2016-07-06T00:00:00.250Z"});

    static String[] accessPort() {
        List<String> ddl = new ArrayList<>(List.of(
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, since DATE)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), placed DATETIME,"
                        + " shipped DATE, amount NUMERIC(10,2))",
                "INSERT INTO customers (id, name, since) VALUES (1, 'Ann', '2015-01-31'), (2, 'Bo', '2015-02-01 00:00:00'), (3, 'Cy', NULL)"));
        for (int i = 0; i < PLACED.size(); i++) {
            String shipped = switch (i % 3) {
                case 0 -> "'2016-07-0" + (5 + i % 4) + "'";
                case 1 -> "'2016-07-0" + (5 + i % 4) + " 12:00:00'";
                default -> String.valueOf(OffsetDateTime.parse("2016-07-0" + (5 + i % 4) + "T00:00:00Z").toEpochSecond());
            };
            ddl.add("INSERT INTO orders (id, customer_id, placed, shipped, amount) VALUES (" + (i + 1) + ", " + (1 + i % 2) + ", "
                    + PLACED.get(i)[0] + ", " + shipped + ", 10.50)");
        }
        return ddl.toArray(String[]::new);
    }

    @Test
    void sqliteDatesStoredAsTextInEveryFormatReadAndCompareAsInstants() {
        try (Fixture f = Fixture.introspected(TestDb.SQLITE, accessPort())) {
            everyTableMatchesSql(f);
            JsonNode orders = f.data("{ orders(orderBy: [{id: ASC}]) { id placed shipped } }").get("orders");
            List<OffsetDateTime> instants = new ArrayList<>();
            for (int i = 0; i < PLACED.size(); i++) {
                OffsetDateTime expected = OffsetDateTime.parse((String) PLACED.get(i)[1]);
                assertEquals(expected.toInstant(), OffsetDateTime.parse(orders.get(i).get("placed").asText()).toInstant(), "row " + (i + 1));
                assertEquals("2016-07-0" + (5 + i % 4), orders.get(i).get("shipped").asText(), "shipped of row " + (i + 1));
                instants.add(expected);
            }
            // equality on each format, and two-sided ranges whose bounds fall on each format
            for (int lo = 0; lo < instants.size(); lo++) {
                assertEquals(List.of(lo + 1), ids(f.data("{ orders(where: {placed: {eq: \"" + instants.get(lo) + "\"}}) { id } }").get("orders")));
                for (int hi = 0; hi < instants.size(); hi++) {
                    OffsetDateTime a = instants.get(lo);
                    OffsetDateTime b = instants.get(hi);
                    List<Integer> expected = new ArrayList<>();
                    for (int i = 0; i < instants.size(); i++) {
                        if (!instants.get(i).isBefore(a) && !instants.get(i).isAfter(b)) {
                            expected.add(i + 1);
                        }
                    }
                    assertEquals(expected, ids(f.data("{ orders(where: {placed: {gte: \"" + a + "\", lte: \"" + b + "\"}}, orderBy: [{id: ASC}]) { id } }")
                            .get("orders")), "between " + a + " and " + b);
                }
            }
            assertEquals(List.of(1, 5), ids(f.data("{ orders(where: {shipped: {eq: \"2016-07-05\"}}, orderBy: [{id: ASC}]) { id } }").get("orders")));
            assertEquals(List.of(3, 4, 7), ids(f.data("{ orders(where: {shipped: {gt: \"2016-07-06\"}}, orderBy: [{id: ASC}]) { id } }").get("orders")));
            assertEquals(List.of(2), ids(f.data("{ customers(where: {since: {eq: \"2015-02-01\"}}) { id } }").get("customers")));
            assertEquals(List.of(1, 2, 3), ids(f.data("{ orders(where: {placed: {in: [\"2016-07-04T00:00:00Z\", \"2016-07-04T10:30:00Z\", \"2016-07-04T23:59:59.500Z\"]}}, orderBy: [{id: ASC}]) { id } }").get("orders")));
            // a delete that must read such rows to check references is refused as a constraint, not an internal error
            assertEquals("CONSTRAINT_VIOLATION", f.errorCode("mutation { deleteCustomer(id: 1) { id } }", Map.of()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStoredValueThatIsNoDateFailsItsFieldAndTheRestIsServed() {
        try (Fixture f = Fixture.introspected(TestDb.SQLITE, "CREATE TABLE logs (id INTEGER PRIMARY KEY, at DATETIME)",
                "INSERT INTO logs (at) VALUES ('2016-07-04'), ('last tuesday'), ('2016-07-05 08:00:00')")) {
            Map<String, Object> result = f.run("{ logs { id at } }");
            List<Map<String, Object>> errors = (List<Map<String, Object>>) result.get("errors");
            assertEquals(1, errors.size(), String.valueOf(errors));
            assertEquals(List.of("logs", 1, "at"), errors.get(0).get("path"));
            assertTrue(String.valueOf(errors.get(0).get("message")).contains("Log.at"), String.valueOf(errors.get(0)));
            JsonNode logs = Fixture.JSON.valueToTree(result.get("data")).get("logs");
            assertEquals(3, logs.size());
            assertEquals("2016-07-05T08:00:00.000Z", logs.get(2).get("at").asText());
            assertTrue(logs.get(1).get("at").isNull());
        }
    }
}
