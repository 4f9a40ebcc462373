package dev.modelgate.config;

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
    }

    /** Aliases the contract names, next to the generic {@code MODELGATE_SECTION_SETTING} form. */
    private static final Map<String, String> ALIASES = Map.of(
            "DB_USER", "DATABASE_USER",
            "DB_PASSWORD", "DATABASE_PASSWORD",
            "DB_URL", "DATABASE_URL");

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
