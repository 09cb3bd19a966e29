package io.tradeflow.persistence.dao;

import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binary COPY encoding against the real server: every type the projection writes, NULLs, and a conflict. */
final class BinaryCopyTest {
    private static final String COPY = "copy copy_probe (id, at, n, x, flag, label) from stdin (format binary)";

    @TempDir
    static Path dataDir;
    private static Database db;
    private static Jdbi jdbi;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabases.startEmbedded(dataDir);
        jdbi = db.jdbi();
        jdbi.useHandle(h -> h.execute("create table copy_probe (id bigint primary key, at timestamptz, n int,"
                + " x double precision, flag boolean, label text)"));
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @Test
    void shouldStoreEveryTypeExactlyAndNullsAsNull() throws SQLException {
        OffsetDateTime before2000 = OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 123_000_000, ZoneOffset.UTC);
        OffsetDateTime recent = Instant.parse("2026-11-23T14:00:00.007Z").atOffset(ZoneOffset.UTC);
        jdbi.useTransaction(h -> {
            BinaryCopy copy = new BinaryCopy().begin();
            copy.row(6).int8(1L).timestamptz(recent).int4(-7).float8(1.0795).bool(true).text("EURUSD ✓ é");
            copy.row(6).int8(Long.MAX_VALUE).timestamptz(before2000).int4(Integer.MAX_VALUE).float8(-0.1)
                    .bool(false).text("");
            copy.row(6).int8(3L).nul().nul().nul().nul().text(null);
            assertThat(copy.rows()).isEqualTo(3);
            assertThat(copy.sendTo(h.getConnection(), COPY)).isEqualTo(3);
        });

        // concat_ws skips NULLs; booleans read back as t/f.
        List<String> rows = jdbi.withHandle(h -> h.createQuery("select concat_ws('|', id, (extract(epoch from at) * 1000)::bigint,"
                        + " n, x, flag, label is null, label) from copy_probe where id not in (100, 201) order by id")
                .mapTo(String.class).list());
        assertThat(rows).containsExactly(
                "1|" + recent.toInstant().toEpochMilli() + "|-7|1.0795|t|f|EURUSD ✓ é",
                "3|t",
                Long.MAX_VALUE + "|" + before2000.toInstant().toEpochMilli() + "|" + Integer.MAX_VALUE + "|-0.1|f|f|");
    }

    /** COPY has no "on conflict do nothing": the store's fallback depends on the unique violation reaching it. */
    @Test
    void shouldFailTheTransactionWithAUniqueViolationOnAnExistingKey() {
        jdbi.useHandle(h -> h.execute("insert into copy_probe (id) values (100)"));

        assertThatThrownBy(() -> jdbi.useTransaction(h -> new BinaryCopy().begin().row(6).int8(100L).nul().nul().nul().nul()
                .nul().sendTo(h.getConnection(), COPY)))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
    }

    /** Text straight from bytes (at an offset), valid as it is or made valid: PostgreSQL accepts the COPY. */
    @Test
    void shouldStoreTextFromBytesMadeValid() throws SQLException {
        byte[] bytes = "--EURUSD ✓ é\u0000\u00ff".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 1] = (byte) 0xC3; // "ÿ" is C3 BF: its second byte made a new lead, an invalid pair
        jdbi.useHandle(h -> {
            BinaryCopy copy = new BinaryCopy().begin();
            copy.row(6).int8(201L).nul().nul().nul().nul().text(bytes, 2, bytes.length - 2);
            assertThat(copy.sendTo(h.getConnection(), COPY)).isEqualTo(1);
        });

        String label = jdbi.withHandle(h -> h.createQuery("select label from copy_probe where id = 201").mapTo(String.class).one());
        assertThat(label).isEqualTo("EURUSD ✓ é\uFFFD\uFFFD\uFFFD");
    }
}
