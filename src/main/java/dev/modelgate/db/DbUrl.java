package dev.modelgate.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database address: a JDBC URL, or a SQLAlchemy-style URL
 * ({@code mysql://user:pass@host:3306/db}, {@code postgresql://…}, {@code sqlite:///file.db})
 * turned into one. Credentials in the URL are used unless given separately.
 */
public record DbUrl(String jdbcUrl, String user, String password) {

    public static final String DEFAULT = "jdbc:sqlite:modelgate.db";

    public static DbUrl parse(String url, String user, String password) {
        if (url == null || url.isBlank()) {
            url = DEFAULT;
        }
        if (url.startsWith("jdbc:")) {
            return new DbUrl(url, user, password);
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            throw new IllegalArgumentException("not a database URL: " + url + " (use jdbc:… or e.g. mysql://user:pass@host:3306/db)");
        }
        String kind = url.substring(0, scheme).toLowerCase();
        int plus = kind.indexOf('+');
        if (plus >= 0) {
            kind = kind.substring(0, plus);   // mysql+pymysql:// and the like
        }
        if (kind.equals("sqlite")) {
            String path = url.substring(scheme + 3);
            if (path.startsWith("/")) {
                path = path.substring(1);   // sqlite:///relative.db, sqlite:////absolute.db
            }
            return new DbUrl("jdbc:sqlite:" + (path.isEmpty() ? ":memory:" : path), user, password);
        }
        URI uri = URI.create(url);
        String u = user;
        String p = password;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            u = u != null ? u : decode(parts[0]);
            p = p != null ? p : parts.length > 1 ? decode(parts[1]) : null;
        }
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = switch (kind) {
            case "mysql" -> "jdbc:mysql://" + hostPort + path + query;
            case "mariadb" -> "jdbc:mariadb://" + hostPort + path + query;
            case "postgresql", "postgres" -> "jdbc:postgresql://" + hostPort + path + query;
            default -> throw new IllegalArgumentException("unknown database kind " + kind + " in " + url
                    + " (mysql, mariadb, postgresql, sqlite)");
        };
        return new DbUrl(jdbc, u, p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL without credentials, safe to print. */
    public String display() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^/@]*@", "$1***@");
    }
}
