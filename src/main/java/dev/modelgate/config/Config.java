package dev.modelgate.config;

import dev.modelgate.db.Database;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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

    /** What one request may ask for (CONTRACT §5); each refusal is QUERY_TOO_COMPLEX or TIMEOUT. */
    public static final class Limits {
        /** Deepest field nesting in an operation (fragments expanded; introspection not counted). */
        public int maxDepth = 12;
        /** Fields in an operation, counting every use of a fragment. */
        public int maxFields = 1000;
        /** Aliased fields in an operation. */
        public int maxAliases = 100;
        /** Operations defined in one document. */
        public int maxOperations = 10;
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

    /** Who is asking (CONTRACT §5): JWT bearer tokens and the admin secret. */
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

    /** Defaults, then the YAML file (when given), then the environment. */
    public static Config load(Path file, Map<String, String> env) {
        ObjectNode tree = YAML.valueToTree(new Config());
        if (file != null) {
            try {
                JsonNode fromFile = YAML.readTree(Files.readString(file));
                if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                    if (!fromFile.isObject()) {
                        throw new IllegalArgumentException(file + ": the configuration must be a mapping of settings");
                    }
                    merge(tree, (ObjectNode) fromFile, file.toString(), "");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith("MODELGATE_")) {
                String key = name.substring("MODELGATE_".length());
                applyEnv(tree, ALIASES.getOrDefault(key, key), value);
            }
        });
        try {
            return YAML.treeToValue(tree, Config.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("bad configuration: " + e.getOriginalMessage());
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String file, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (!into.has(e.getKey())) {
                throw new IllegalArgumentException(file + ": unknown setting " + at);
            }
            if (into.get(e.getKey()) instanceof ObjectNode section) {
                if (!(e.getValue() instanceof ObjectNode values)) {
                    throw new IllegalArgumentException(file + ": " + at + " must be a mapping of settings");
                }
                merge(section, values, file, at);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    /** {@code SERVER_CORS_ORIGINS} → {@code server.corsOrigins}; lists are comma-separated. Unknown names are ignored. */
    private static void applyEnv(ObjectNode tree, String key, String value) {
        ObjectNode node = tree;
        String rest = key;
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
                return;
            }
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
                return;
            }
            node = (ObjectNode) node.get(match);
            rest = rest.substring(upper.length() + 1);
        }
    }
}
