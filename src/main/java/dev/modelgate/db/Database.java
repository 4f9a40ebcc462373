package dev.modelgate.db;

import dev.modelgate.error.ErrorMapper;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.modelgate.sql.Dialect;
import dev.modelgate.sql.Fragment;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.ResultMap;
import org.apache.ibatis.mapping.SqlCommandType;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * One database: a HikariCP pool, the MyBatis configuration every statement runs through
 * (statements Modelgate renders and users' mappers alike), the dialect and a statement observer.
 */
public final class Database implements AutoCloseable {
    static final String SELECT = "modelgate.rendered.select";
    static final String UPDATE = "modelgate.rendered.update";
    static final String INSERT = "modelgate.rendered.insert";

    private final HikariDataSource dataSource;
    private final SqlSessionFactory sessions;
    private final Configuration configuration;
    private final Dialect dialect;
    /** The vendor the URL's driver serves, until the server has said which it is ({@link #vendor}). */
    private volatile Vendor vendor;
    private volatile boolean detected;
    private final StatementObserver observer = new StatementObserver();
    private final JdbcValues values;
    private final StatementWatchdog watchdog = new StatementWatchdog();
    private final Availability availability;

    private Database(HikariDataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.availability = new Availability(dataSource);
        this.vendor = vendor;
        this.dialect = vendor.dialect();
        this.values = new JdbcValues(vendor.utcWallTime());
        Configuration cfg = new Configuration(new Environment("modelgate", new JdbcTransactionFactory(), dataSource));
        cfg.setCallSettersOnNulls(true);
        cfg.setReturnInstanceForEmptyRow(true);
        cfg.setLocalCacheScope(LocalCacheScope.STATEMENT);
        cfg.setCacheEnabled(false);
        cfg.addInterceptor(new RenderedRows(cfg));   // first, so innermost: the watchdog still wraps the statement it runs
        cfg.addInterceptor(observer);
        cfg.addInterceptor(watchdog);
        RenderedSqlSource source = new RenderedSqlSource(cfg);
        ResultMap rows = new ResultMap.Builder(cfg, SELECT + "-rows", HashMap.class, new ArrayList<>(), true).build();
        cfg.addMappedStatement(new MappedStatement.Builder(cfg, SELECT, source, SqlCommandType.SELECT)
                .resultMaps(List.of(rows)).build());
        cfg.addMappedStatement(new MappedStatement.Builder(cfg, UPDATE, source, SqlCommandType.UPDATE)
                .resultMaps(List.of()).build());
        cfg.addMappedStatement(new MappedStatement.Builder(cfg, INSERT, source, SqlCommandType.INSERT)
                .resultMaps(List.of()).keyGenerator(new GeneratedKeys()).build());
        this.sessions = new SqlSessionFactoryBuilder().build(cfg);
        this.configuration = cfg;
    }

    /**
     * Loads every {@code *.xml} MyBatis mapper under {@code dir} (none when it does not exist).
     * A file that does not parse stops the start with its name and line.
     */
    public void loadMappers(java.nio.file.Path dir) {
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        List<java.nio.file.Path> files;
        try (var walk = java.nio.file.Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (java.nio.file.Path file : files) {
            try (var in = java.nio.file.Files.newInputStream(file)) {
                new org.apache.ibatis.builder.xml.XMLMapperBuilder(in, configuration, file.toString(), configuration.getSqlFragments()).parse();
            } catch (java.io.IOException | RuntimeException e) {
                org.xml.sax.SAXParseException sax = ErrorMapper.find(e, org.xml.sax.SAXParseException.class);
                Throwable root = ErrorMapper.rootCause(e);
                throw new dev.modelgate.model.ModelException(List.of(new dev.modelgate.model.Problem(file.toString(),
                        sax == null ? 0 : sax.getLineNumber(), sax == null ? 0 : Math.max(sax.getColumnNumber(), 0),
                        "mapper XML: " + (sax != null ? sax.getMessage() : String.valueOf(root.getMessage()).lines().findFirst().orElse("")))));
            }
        }
    }

    /** Seconds any statement may run before it is cancelled ({@link StatementWatchdog}); 0: no limit. */
    public void statementTimeout(int seconds) {
        watchdog.limit(seconds);
    }

    /** Whether a mapped statement with this id (Namespace.id) is loaded. */
    public boolean hasStatement(String id) {
        return configuration.hasStatement(id, false);
    }

    public static Database open(DbUrl url) {
        return open(url, null, null);
    }

    /**
     * Opens the pool; {@code poolSize} (null: the dialect's default) and {@code metrics} (null:
     * none) for the pool's own meters (connections active, idle, pending, acquire time).
     */
    public static Database open(DbUrl url, Integer poolSize, io.micrometer.core.instrument.MeterRegistry metrics) {
        Vendor vendor = Vendor.forJdbcUrl(url.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            hc.setUsername(url.user());
        }
        if (url.password() != null) {
            hc.setPassword(url.password());
        }
        ConnectionSettings settings = vendor.connectionSettings();
        settings.forUrl(url.jdbcUrl()).forEach(hc::addDataSourceProperty);   // a parameter the URL sets itself is the user's to choose
        if (settings.initSql() != null) {
            hc.setConnectionInitSql(settings.initSql());
        }
        if (settings.isolation() != null) {
            hc.setTransactionIsolation(settings.isolation());
        }
        hc.setMaximumPoolSize(poolSize != null ? poolSize : settings.poolSize());
        if (metrics != null) {
            hc.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(metrics));
        }
        hc.setPoolName("modelgate");
        hc.setInitializationFailTimeout(-1);
        hc.setConnectionTimeout(5000);
        return new Database(new HikariDataSource(hc), vendor);
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * The database product, as the server says at the first connection (MySQL's driver on a MariaDB
     * server is MariaDB); until one can be made, the vendor the URL's driver serves.
     */
    public Vendor vendor() {
        if (!detected) {
            try (java.sql.Connection c = dataSource.getConnection()) {
                vendor = vendor.detect(c);
                detected = true;
            } catch (java.sql.SQLException e) {
                return vendor;   // no server yet: the URL's word, asked again next time
            }
        }
        return vendor;
    }

    /** How this database's driver values become GraphQL-level values. */
    public JdbcValues values() {
        return values;
    }

    public StatementObserver observer() {
        return observer;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** A session for one request; it takes a connection from the pool on its first statement. */
    public Session openSession(boolean transactional) {
        return new Session(sessions, transactional, availability, statementSpans, replicas);
    }

    private volatile Replicas replicas;

    /** Read replicas for the reads of query operations (null: the primary reads everything). */
    public void readFrom(Replicas replicas) {
        this.replicas = replicas;
    }

    public Replicas replicas() {
        return replicas;
    }

    /** The MyBatis sessions of this database's pool. */
    SqlSessionFactory sessions() {
        return sessions;
    }

    /**
     * The replication position now (an opaque token a replica can be asked to reach), or null
     * where the database has none or cannot say.
     */
    public String position() {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return vendor().position(c);
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    private static final Runnable NO_SPAN = () -> {
    };
    private volatile java.util.function.Function<String, Runnable> statementSpans = sql -> NO_SPAN;

    /** How each statement is traced: its SQL text → the end of its span (tracing, exec/Tracing). */
    public void statementSpans(java.util.function.Function<String, Runnable> spans) {
        this.statementSpans = spans;
    }

    /** Runs statements in one transaction (DDL, seed scripts). */
    public void executeAll(List<String> statements) {
        try (Session s = openSession(true)) {
            for (String sql : statements) {
                s.update(new Fragment(sql, List.of()));
            }
            s.commit();
        }
    }

    /** Names of the tables that exist, lower-cased. */
    public java.util.Set<String> tableNames() {
        return names("TABLE");
    }

    /** Names of the views that exist, lower-cased. */
    public java.util.Set<String> viewNames() {
        return names("VIEW");
    }

    private java.util.Set<String> names(String type) {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[]{type})) {
            java.util.Set<String> out = new java.util.HashSet<>();
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME").toLowerCase());
            }
            return out;
        } catch (SQLException e) {
            throw ErrorMapper.map(DbFailures.translate(e));
        }
    }

    /** The single-column unique indexes of a table: column (lower-cased) → index name (primary keys left out). */
    public java.util.Map<String, String> uniqueIndexes(String table) {
        try (Connection c = dataSource.getConnection()) {
            java.util.Map<String, java.util.List<String>> byIndex = new java.util.TreeMap<>();
            java.util.Set<String> primary = new java.util.HashSet<>();
            try (ResultSet rs = c.getMetaData().getPrimaryKeys(c.getCatalog(), c.getSchema(), table)) {
                while (rs.next()) {
                    primary.add(rs.getString("PK_NAME"));
                }
            }
            try (ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), table, true, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (index != null && column != null && !rs.getBoolean("NON_UNIQUE") && !primary.contains(index)
                            && !index.equalsIgnoreCase("PRIMARY") && !index.toLowerCase().endsWith("_pkey")) {
                        byIndex.computeIfAbsent(index, k -> new java.util.ArrayList<>()).add(column);
                    }
                }
            }
            java.util.Map<String, String> out = new java.util.HashMap<>();
            byIndex.forEach((index, columns) -> {
                if (columns.size() == 1) {
                    out.put(columns.get(0).toLowerCase(), index);
                }
            });
            return out;
        } catch (SQLException e) {
            throw ErrorMapper.map(DbFailures.translate(e));
        }
    }

    /**
     * Whether a connection can be had and answers within a second (the health check): at once
     * false while the database is known to be down.
     */
    public boolean isUp() {
        return availability.check(1000);
    }

    @Override
    public void close() {
        if (replicas != null) {
            replicas.close();
        }
        watchdog.close();
        dataSource.close();
    }
}
