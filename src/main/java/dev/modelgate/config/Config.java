package dev.modelgate.config;

import dev.modelgate.db.Database;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.error.CommandFailure;
import dev.modelgate.error.Suggestions;
import dev.modelgate.model.Inflector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting, with its default. Read from a YAML file ({@code --config}), then overridden by
 * {@code MODELGATE_*} environment variables ({@code MODELGATE_SERVER_PORT=9000} sets
 * {@code server.port}), then by command-line flags.
 */
public final class Config {
    /** Model definitions, a file or folder. */
    public String schema = "schema";
    /** MyBatis mapper XML folder. */
    public String mappers = "mappers";
    public Server server = new Server();
    public Database database = new Database();
    public Limits limits = new Limits();
    public Auth auth = new Auth();
    public Subscriptions subscriptions = new Subscriptions();
    public Security security = new Security();
    public Tracing tracing = new Tracing();

    /** OpenTelemetry (docs/operations in docs/configuration.md): the OTEL_* variables configure the exporter. */
    public static final class Tracing {
        /** Trace requests even without OTEL_EXPORTER_OTLP_ENDPOINT (the SDK's defaults then apply). */
        public boolean enabled;
    }

    /** What may run (docs/security.md). */
    public static final class Security {
        /**
         * A JSON manifest {@code {"<id or sha256>": "<document>"}} (GraphQL Codegen's persisted documents,
         * Relay's persist output): only those documents run, for every role but admin. Empty: any document.
         */
        public String trustedDocuments;
    }

    /** A request rate: {@code requests} per {@code perSeconds}. */
    public static final class Rate {
        public int requests;
        public int perSeconds = 1;
    }

    /** Live queries over WebSocket (docs/api.md "Live queries"). */
    public static final class Subscriptions {
        /** How often every live query runs again, in milliseconds (and at once after a write commits). */
        public long pollMillis = 1000;
        /** Subscriptions one connection may hold; one more gets an error message. */
        public int maxPerConnection = 100;
        /** WebSocket connections at once; one more is closed (1013). */
        public int maxConnections = 10000;
        /** How long a new socket may take to send connection_init, in milliseconds (then 4408). */
        public long connectionInitWaitMillis = 3000;
    }

    /** What one request may ask for (docs/security.md); each refusal is QUERY_TOO_COMPLEX or TIMEOUT. */
    public static final class Limits {
        /** Deepest field nesting in an operation (fragments expanded; introspection not counted). */
        public int maxDepth = 12;
        /** Fields in an operation, counting every use of a fragment. */
        public int maxFields = 1000;
        /** Aliased fields in an operation. */
        public int maxAliases = 100;
        /** Operations defined in one document. */
        public int maxOperations = 10;
        /** Requests per role, counted per user (userId) or, for anonymous, per client address; roles not listed are not limited. */
        public Map<String, Rate> rate = new java.util.LinkedHashMap<>();
        /** Rows per list: a larger limit is refused, a list without limit is capped here. */
        public int maxRows = 10000;
        /** Seconds one SQL statement may run (JDBC query timeout) before it is cancelled. */
        public int statementTimeoutSeconds = 10;
        /** Keys per IN list of a relationship batch; 0: as many as the database takes in one statement. */
        public int maxKeysPerStatement = 0;
        /** Whether __schema / __type introspection (and /schema.graphql) answer. */
        public boolean introspection = true;

        public static Limits defaults() {
            return new Limits();
        }
    }

    /** Who is asking (docs/security.md): JWT bearer tokens and the admin secret. */
    public static final class Auth {
        /** Sent as X-Modelgate-Admin-Secret, makes the request role admin. Empty: no admin secret. */
        public String adminSecret;
        /** HS256 secret for bearer tokens (at least 32 bytes). */
        public String jwtSecret;
        /** A PEM public key file for RS256/ES256 tokens. */
        public String jwtPublicKey;
        /** A JWKS file (RS256/ES256 keys by kid). */
        public String jwks;
        /** The claim that names the role. */
        public String roleClaim = "role";
        /** The role of a token without the role claim. */
        public String defaultRole = "user";
        /** When set, tokens must carry this issuer (iss). */
        public String issuer;
        /** When set, tokens must carry this audience (aud). */
        public String audience;
    }

    public static final class Server {
        public String host = "127.0.0.1";
        public int port = 8080;
        /** Serve the GraphiQL explorer at /graphiql. */
        public boolean graphiql = true;
        /** Origins allowed by CORS ({@code *} for any); empty: no CORS headers. */
        public List<String> corsOrigins = new ArrayList<>();
        /** One log line per request. */
        public boolean logRequests = true;
        /** Largest request body accepted, in bytes. */
        public long maxBodyBytes = 1024 * 1024;
        /** How long a stopping server waits for requests in flight, in seconds. */
        public int shutdownGraceSeconds = 10;
        /**
         * How Long and BigDecimal values are sent: {@code string} (exact in JavaScript, the default)
         * or {@code number} (plain JSON numbers, which JavaScript rounds past 2^53 and drops a decimal's trailing zeros).
         */
        public String bigNumbers = "string";
    }

    public static final class Database {
        /** JDBC or SQLAlchemy-style URL; empty: the embedded SQLite file modelgate.db. */
        public String url;
        public String user;
        public String password;
        /** Connections in the pool; empty: the dialect's default. */
        public Integer poolSize;
        public boolean createTables;
        public boolean introspect;
        /** Times an operation that hit a deadlock or serialization failure runs again (queries: at most once). */
        public int retries = 3;
        /** How long start-up waits for a database server that cannot be reached yet (one that is starting), in seconds. */
        public int startupWaitSeconds = 30;
        /** Read replicas' URLs (credentials from each URL, else user/password): the reads of query operations go to them. */
        public List<String> replicas = new java.util.ArrayList<>();
        /** A replica further behind than this (its own lag figure) serves no reads until it catches up. */
        public int maxReplicaLagSeconds = 5;
    }

    /** Aliases the contract names, next to the generic {@code MODELGATE_SECTION_SETTING} form. */
    private static final Map<String, String> ALIASES = Map.of(
            "DB_USER", "DATABASE_USER",
            "DB_PASSWORD", "DATABASE_PASSWORD",
            "DB_URL", "DATABASE_URL",
            "ADMIN_SECRET", "AUTH_ADMIN_SECRET",
            "JWT_SECRET", "AUTH_JWT_SECRET",
            "JWT_PUBLIC_KEY", "AUTH_JWT_PUBLIC_KEY",
            "JWKS", "AUTH_JWKS");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What loading noticed but did not refuse: a {@code MODELGATE_*} variable that names no setting. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public final List<String> warnings = new ArrayList<>();

    /**
     * Defaults, then the YAML file (when given), then the environment. A mistake stops here with
     * the file, line and setting (or the variable), what was wrong, and what would be right.
     */
    public static Config load(Path file, Map<String, String> env) {
        ObjectNode tree = YAML.valueToTree(new Config());
        if (file != null) {
            String text = read(file);
            JsonNode fromFile;
            try {
                fromFile = YAML.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                var at = e.getLocation();
                String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
                String problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
                if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
                    where = ":" + (y.getProblemMark().getLine() + 1) + ":" + (y.getProblemMark().getColumn() + 1);
                    problem = (y.getContext() == null ? "" : y.getContext() + ": ") + y.getProblem();
                }
                throw new CommandFailure(file + where + ": not valid YAML: " + problem,
                        "fix the YAML there (settings are 'name: value' pairs, sections indented under their name)", CommandFailure.USAGE);
            }
            if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                if (!fromFile.isObject()) {
                    throw new CommandFailure(file + ": the configuration must be a mapping of settings",
                            "write settings as 'name: value' lines, e.g. 'server:' then '  port: 9000'", CommandFailure.USAGE);
                }
                merge(tree, tree, (ObjectNode) fromFile, new Origin(file.toString(), lines(text)), "");
            }
        }
        List<String> warnings = new ArrayList<>();
        new java.util.TreeMap<>(env).forEach((name, value) -> {
            if (name.startsWith("MODELGATE_")) {
                String key = name.substring("MODELGATE_".length());
                String path = applyEnv(tree, ALIASES.getOrDefault(key, key), value);
                if (path == null) {
                    String near = Suggestions.closest(name, variableNames());
                    warnings.add(name + " is not a setting and is ignored" + (near != null ? "; did you mean " + near + "?" : ""));
                } else {
                    check(tree, path, "variable " + name);
                }
            }
        });
        try {
            Config c = YAML.treeToValue(tree, Config.class);
            c.warnings.addAll(warnings);
            return c;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CommandFailure("bad configuration: " + e.getOriginalMessage(), "see docs/configuration.md for every setting", CommandFailure.USAGE);
        }
    }

    /** Where file settings came from: the file, and the line of each setting (by dotted path). */
    private record Origin(String file, Map<String, Integer> lines) {
        String at(String path) {
            Integer line = lines.get(path);
            return file + (line == null ? "" : ":" + line);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandFailure("no configuration file at " + file.toAbsolutePath(), "check the path given to --config", CommandFailure.USAGE);
        } catch (IOException e) {
            throw new CommandFailure("cannot read the configuration file " + file + " (" + e.getClass().getSimpleName() + ")",
                    "check the path given to --config and its permissions", CommandFailure.USAGE);
        }
    }

    /** The line of every setting in a YAML text, by dotted path ({@code server.port} → 3). */
    private static Map<String, Integer> lines(String text) {
        Map<String, Integer> out = new java.util.HashMap<>();
        try (com.fasterxml.jackson.core.JsonParser p = YAML.getFactory().createParser(text)) {
            List<String> path = new ArrayList<>();
            String pending = null;
            for (com.fasterxml.jackson.core.JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        String at = path.isEmpty() ? pending : String.join(".", path) + "." + pending;
                        out.putIfAbsent(at, p.currentTokenLocation().getLineNr());
                    }
                    case START_OBJECT -> {
                        if (pending != null) {
                            path.add(pending);
                        }
                        pending = null;
                    }
                    case END_OBJECT -> {
                        if (!path.isEmpty()) {
                            path.remove(path.size() - 1);
                        }
                    }
                    case START_ARRAY -> {
                        p.skipChildren();
                        pending = null;
                    }
                    default -> pending = null;
                }
            }
        } catch (IOException e) {
            // the text parsed once already; without lines, messages name the file only
        }
        return out;
    }

    /** Every variable that names a setting: {@code MODELGATE_SERVER_PORT}, and the short aliases. */
    private static List<String> variableNames() {
        List<String> out = new ArrayList<>();
        collect(YAML.valueToTree(new Config()), "MODELGATE_", out);
        ALIASES.keySet().forEach(a -> out.add("MODELGATE_" + a));
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        node.fields().forEachRemaining(e -> {
            String name = prefix + Inflector.snake(e.getKey()).toUpperCase(Locale.ROOT);
            if (e.getValue() instanceof ObjectNode) {
                collect(e.getValue(), name + "_", out);
            } else {
                out.add(name);
            }
        });
    }

    /**
     * That the value at {@code path} converts to its setting's Java type; else a failure naming
     * {@code where} (file:line, or the variable), the setting, and what it takes.
     */
    private static void check(ObjectNode tree, String path, String where) {
        java.lang.reflect.Field setting = setting(path);
        JsonNode value = tree.at("/" + path.replace('.', '/'));
        if (setting == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        Class<?> type = setting.getType();
        boolean ok;
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            ok = value.canConvertToLong() && value.isIntegralNumber() || value.isTextual() && value.asText().trim().matches("-?\\d{1,18}");
        } else if (type == boolean.class || type == Boolean.class) {
            ok = value.isBoolean() || value.isTextual() && value.asText().trim().matches("(?i)true|false");
        } else if (List.class.isAssignableFrom(type)) {
            ok = value.isArray() || value.isTextual();
        } else {
            ok = value.isValueNode();
        }
        if (!ok) {
            JsonNode fallback = YAML.valueToTree(new Config()).at("/" + path.replace('.', '/'));
            throw new CommandFailure(where + ": setting " + path + " takes " + describe(type) + ", not " + value,
                    "give " + path + " " + describe(type) + (fallback.isNull() ? "" : " (its default is " + fallback + ")"), CommandFailure.USAGE);
        }
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a text";
    }

    /** The Java field behind a dotted setting path, or null. */
    private static java.lang.reflect.Field setting(String path) {
        Class<?> at = Config.class;
        java.lang.reflect.Field f = null;
        for (String part : path.split("\\.")) {
            try {
                f = at.getField(part);
            } catch (NoSuchFieldException e) {
                return null;
            }
            at = f.getType();
        }
        return f;
    }

    private static void merge(ObjectNode root, ObjectNode into, ObjectNode from, Origin origin, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!into.has(e.getKey())) {
                List<String> names = new ArrayList<>();
                into.fieldNames().forEachRemaining(names::add);
                String near = Suggestions.closest(e.getKey(), names);
                throw new CommandFailure(origin.at(at) + ": unknown setting " + at,
                        (near != null ? "did you mean " + (path.isEmpty() ? "" : path + ".") + near + "? " : "")
                                + "the settings " + (path.isEmpty() ? "" : "of " + path + " ") + "are " + String.join(", ", names),
                        CommandFailure.USAGE);
            }
            if (into.get(e.getKey()) instanceof ObjectNode section) {
                if (!(e.getValue() instanceof ObjectNode values)) {
                    throw new CommandFailure(origin.at(at) + ": " + at + " is a section of settings, not a value",
                            "write its settings indented under it, e.g. '" + at + ":' then '  name: value'", CommandFailure.USAGE);
                }
                merge(root, section, values, origin, at);
            } else {
                into.set(e.getKey(), e.getValue());
                check(root, at, origin.at(at));
            }
        }
    }

    /**
     * {@code SERVER_CORS_ORIGINS} → {@code server.corsOrigins}; lists are comma-separated. Returns
     * the dotted path set, or null when the name is no setting.
     */
    private static String applyEnv(ObjectNode tree, String key, String value) {
        ObjectNode node = tree;
        String rest = key;
        String path = "";
        while (true) {
            String match = null;
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                String upper = Inflector.snake(name).toUpperCase(Locale.ROOT);
                if (rest.equals(upper) || (node.get(name) instanceof ObjectNode && rest.startsWith(upper + "_"))) {
                    match = name;
                    break;
                }
            }
            if (match == null) {
                return null;
            }
            path = path.isEmpty() ? match : path + "." + match;
            String upper = Inflector.snake(match).toUpperCase(Locale.ROOT);
            if (rest.equals(upper)) {
                if (node.get(match) instanceof ArrayNode) {
                    ArrayNode list = node.arrayNode();
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            list.add(part.trim());
                        }
                    }
                    node.set(match, list);
                } else {
                    node.set(match, TextNode.valueOf(value));
                }
                return path;
            }
            node = (ObjectNode) node.get(match);
            rest = rest.substring(upper.length() + 1);
        }
    }
}
