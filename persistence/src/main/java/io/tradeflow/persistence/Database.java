package io.tradeflow.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tradeflow.config.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database: an external PostgreSQL when a URL is configured, otherwise an embedded one whose
 * data lives in {@code <data dir>/pg} and survives restarts. Starting migrates the schema and opens
 * a connection pool; closing releases both (and stops the embedded server).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String EMBEDDED_DATABASE = "tradeflow";
    private static final String EMBEDDED_USER = "postgres";
    /** Short, so the dashboard and the projection learn quickly that the database is unreachable. */
    private static final long CONNECTION_TIMEOUT_MILLIS = 3_000;

    private final EmbeddedPostgres embeddedServer;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final String jdbcUrl;
    private boolean closed;

    private Database(EmbeddedPostgres embeddedServer, HikariDataSource pool, String jdbcUrl) {
        this.embeddedServer = embeddedServer;
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
    }

    /**
     * Starts (embedded) or connects to the database, applies pending migrations and opens the pool.
     *
     * @param dataDir the application's data directory; the embedded database lives in {@code dataDir/pg}
     * @throws IllegalStateException when the database cannot be started, reached or migrated
     */
    public static Database start(DatabaseConfig cfg, Path dataDir) {
        if (!cfg.embedded()) {
            LOG.info("Using PostgreSQL at {} as user {}", redactPassword(cfg.url()), cfg.user());
            return open(null, cfg.url(), cfg.user(), cfg.password(), cfg.poolSize());
        }
        Path pgDir = dataDir.resolve("pg").toAbsolutePath();
        long startNanos = System.nanoTime();
        EmbeddedPostgres server = startEmbedded(pgDir);
        try {
            createDatabaseIfMissing(server);
            String url = server.getJdbcUrl(EMBEDDED_USER, EMBEDDED_DATABASE);
            LOG.info("Using embedded PostgreSQL in {} on port {}", pgDir, server.getPort());
            LOG.info("start-up: embedded PostgreSQL up in {} ms", (System.nanoTime() - startNanos) / 1_000_000);
            return open(server, url, EMBEDDED_USER, "", cfg.poolSize());
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw e;
        }
    }

    private static EmbeddedPostgres startEmbedded(Path pgDir) {
        try {
            Files.createDirectories(pgDir);
            StalePostmaster.recover(pgDir);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(pgDir)
                    .setCleanDataDirectory(false)
                    // The library turns this off for speed; users, accounts and keys are not in the
                    // journal, so a committed signup must survive a crash of the database.
                    .setServerConfig("synchronous_commit", "on")
                    // The library's own JVM shutdown hook would stop the server while TradeFlow's
                    // hook is still draining the projection into it (JVM hooks run concurrently);
                    // close() stops it last instead.
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL in " + pgDir, e);
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres server) {
        try (Connection c = server.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, EMBEDDED_DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database " + EMBEDDED_DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + EMBEDDED_DATABASE, e);
        }
    }

    private static Database open(EmbeddedPostgres server, String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tradeflow-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not connect to PostgreSQL at " + redactPassword(url), e);
        }
        try {
            long startNanos = System.nanoTime();
            int applied = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate()
                    .migrationsExecuted;
            LOG.info("start-up: schema checked by Flyway in {} ms ({} migrations applied)",
                    (System.nanoTime() - startNanos) / 1_000_000, applied);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("could not migrate the database schema", e);
        }
        return new Database(server, pool, url);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Whether this process started the database (no URL configured). */
    public boolean embedded() {
        return embeddedServer != null;
    }

    /** The JDBC URL of the database; may carry credentials when they were configured in it. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Closes the pool, then stops the embedded server (if any). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        if (embeddedServer != null) {
            stopQuietly(embeddedServer);
        }
    }

    private static void stopQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Stopping the embedded PostgreSQL failed", e);
        }
    }

    /** Hides a password given as a URL parameter, because URLs get logged. */
    static String redactPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
