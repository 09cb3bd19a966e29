package io.tradeflow.persistence.dao;

import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

final class DaoRoundTripTest {
    private static final Instant SIGNUP = Instant.parse("2026-11-20T08:30:00.123Z");
    private static final AtomicInteger EMAILS = new AtomicInteger();

    @TempDir
    static Path dataDir;
    private static Database db;
    private static Jdbi jdbi;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabases.startEmbedded(dataDir);
        jdbi = db.jdbi();
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @Test
    void shouldCreateAndFindUsers() {
        UserDao users = new UserDao(jdbi);
        String email = uniqueEmail();

        long id = users.create(email, "argon2-hash", Plan.TRIAL, SIGNUP).orElseThrow();

        UserRow byEmail = users.findByEmail(email).orElseThrow();
        assertThat(byEmail).isEqualTo(new UserRow(id, email, "argon2-hash", Role.USER, Plan.TRIAL, 0, false, SIGNUP));
        assertThat(users.findById(id)).contains(byEmail);
        assertThat(users.findById(-1)).isEmpty();
        assertThat(users.findByEmail("nobody@example.com")).isEmpty();
    }

    @Test
    void shouldRefuseASecondUserWithTheSameEmail() {
        UserDao users = new UserDao(jdbi);
        String email = uniqueEmail();
        users.create(email, null, Plan.PRO, SIGNUP);

        assertThat(users.create(email, null, Plan.TRIAL, SIGNUP)).isEqualTo(OptionalLong.empty());
        assertThat(users.findByEmail(email).orElseThrow().plan()).isEqualTo(Plan.PRO);
        assertThat(users.findByEmail(email).orElseThrow().passwordHash()).isNull();
    }

    @Test
    void shouldCreateAndListAccounts() {
        long userId = newUser();
        AccountDao accounts = new AccountDao(jdbi);

        long paper = accounts.create(userId, BrokerKind.PAPER, "practice", true);
        long mtx = accounts.create(userId, BrokerKind.MTX, "FTMO 100k", false);

        AccountRow row = accounts.findById(paper).orElseThrow();
        assertThat(row.userId()).isEqualTo(userId);
        assertThat(row.broker()).isEqualTo(BrokerKind.PAPER);
        assertThat(row.enabled()).isTrue();
        assertThat(row.createdAt()).isNotNull();
        assertThat(accounts.listByUser(userId))
                .extracting(AccountRow::id, AccountRow::broker, AccountRow::label, AccountRow::enabled)
                .containsExactly(tuple(paper, BrokerKind.PAPER, "practice", true),
                        tuple(mtx, BrokerKind.MTX, "FTMO 100k", false));
        assertThat(accounts.findById(-1)).isEmpty();
    }

    @Test
    void shouldListOnlyLiveAccountsWithStoredCredentialsForReconnecting() {
        long userId = newUser();
        AccountDao accounts = new AccountDao(jdbi);
        long withCredentials = accounts.create(userId, BrokerKind.TRADELOCKER, "tl", true, new byte[] {1, 2, 3});
        long without = accounts.create(userId, BrokerKind.PAPER, "paper", true);
        long deleted = accounts.create(userId, BrokerKind.PROJECTX, "px", true, new byte[] {4, 5});
        accounts.markDeleted(deleted, SIGNUP);

        assertThat(accounts.listLiveWithCredentials()).extracting(AccountRow::id)
                .contains(withCredentials).doesNotContain(without, deleted);
        assertThat(accounts.encryptedCredentials(withCredentials))
                .hasValueSatisfying(c -> assertThat(c).containsExactly(1, 2, 3));
    }

    @Test
    void shouldAddListAndRevokeApiKeys() {
        long accountId = new AccountDao(jdbi).create(newUser(), BrokerKind.TRADELOCKER, "live", true);
        ApiKeyDao keys = new ApiKeyDao(jdbi);
        byte[] first = KeyHasher.sha256("tf_first_" + accountId);
        byte[] second = KeyHasher.sha256("tf_second_" + accountId);
        keys.add(accountId, first, "tf_firs");
        keys.add(accountId, second, "tf_seco");
        Instant revokedAt = Instant.parse("2026-11-21T10:00:00Z");

        assertThat(keys.revoke(first, revokedAt)).isTrue();
        assertThat(keys.revoke(first, revokedAt.plusSeconds(60))).isFalse();

        assertThat(keys.activeByAccount(accountId)).singleElement().satisfies(key -> {
            assertThat(key.keyHash()).isEqualTo(second);
            assertThat(key.keyPrefix()).isEqualTo("tf_seco");
            assertThat(key.active()).isTrue();
        });
        assertThat(keys.activeKeys()).extracting(ApiKeyRow::keyHash).contains(second).doesNotContain(first);
        Instant storedRevocation = jdbi.withHandle(h -> h.createQuery(
                        "select revoked_at from api_keys where key_hash = :h")
                .bind("h", first)
                .mapTo(OffsetDateTime.class)
                .one()).toInstant();
        assertThat(storedRevocation).isEqualTo(revokedAt);
    }

    @Test
    void shouldRefuseAKeyHashOfTheWrongLength() {
        long accountId = new AccountDao(jdbi).create(newUser(), BrokerKind.PAPER, "paper", true);

        assertThatThrownBy(() -> new ApiKeyDao(jdbi).add(accountId, new byte[16], "short"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadTheWebhookLogNewestFirstWithNullsForUnknownAccounts() {
        long userId = newUser();
        long accountId = new AccountDao(jdbi).create(userId, BrokerKind.PAPER, "paper", true);
        long base = 1_000_000L * accountId;
        insertIntent(base + 1, "2026-11-23T14:00:00Z", accountId, userId, "ACCEPTED", 200, 17L);
        insertIntent(base + 2, "2026-11-23T14:00:01Z", accountId, userId, "RISK_REJECTED", 403, null);
        insertIntent(base + 3, "2026-11-23T14:00:02Z", null, null, "UNAUTHORIZED", 401, null);
        WebhookLogDao log = new WebhookLogDao(jdbi);

        assertThat(log.recentForAccount(accountId, 10)).extracting(WebhookLogRow::journalIndex)
                .containsExactly(base + 2, base + 1);
        assertThat(log.recentForUser(userId, 1)).extracting(WebhookLogRow::outcome).containsExactly("RISK_REJECTED");
        WebhookLogRow accepted = log.byJournalIndex(base + 1).orElseThrow();
        assertThat(accepted).isEqualTo(new WebhookLogRow(base + 1, Instant.parse("2026-11-23T14:00:00Z"), accountId,
                userId, "EURUSD", "open", "buy", "market", 1.0, 1.0854, "tv-1", "ACCEPTED", 200, null, null, 17L, 42,
                null));
        WebhookLogRow unknown = log.byJournalIndex(base + 3).orElseThrow();
        assertThat(unknown.accountId()).isNull();
        assertThat(unknown.userId()).isNull();
        assertThat(unknown.orderId()).isNull();
    }

    @Test
    void shouldListOpenPositionsAndOrdersOfAnAccountAndUser() {
        long userId = newUser();
        long accountId = new AccountDao(jdbi).create(userId, BrokerKind.PAPER, "paper", true);
        Instant at = Instant.parse("2026-11-23T15:00:00Z");
        jdbi.useHandle(h -> {
            h.execute("insert into positions values (?, 'EURUSD', 2, 1.1, ?), (?, 'GBPUSD', 0, 0, ?)",
                    accountId, at.atOffset(ZoneOffset.UTC), accountId, at.atOffset(ZoneOffset.UTC));
            h.execute("insert into orders values (?, ?, ?, ?, 'EURUSD', 'buy', 2, 1.1, 0.5, -0.5, 'filled', ?)",
                    accountId * 10, accountId * 10, accountId, userId, at.atOffset(ZoneOffset.UTC));
            h.execute("insert into orders values (?, ?, ?, ?, 'GBPUSD', 'sell', 1, 1.3, 0.5, 1.5, 'filled', ?)",
                    accountId * 10 + 1, accountId * 10 + 1, accountId, userId, at.atOffset(ZoneOffset.UTC));
        });

        PositionDao positions = new PositionDao(jdbi);
        assertThat(positions.listOpenByAccount(accountId))
                .containsExactly(new PositionRow(accountId, "EURUSD", 2, 1.1, at));
        assertThat(positions.listOpenByUser(userId)).isEqualTo(positions.listOpenByAccount(accountId));

        OrderDao orders = new OrderDao(jdbi);
        assertThat(orders.listByAccount(accountId, 10)).extracting(OrderRow::id, OrderRow::side, OrderRow::realizedPnl)
                .containsExactly(tuple(accountId * 10 + 1, "sell", 1.5), tuple(accountId * 10, "buy", -0.5));
        assertThat(orders.listByUser(userId, 1)).singleElement()
                .isEqualTo(new OrderRow(accountId * 10 + 1, accountId * 10 + 1, accountId, userId, "GBPUSD", "sell", 1,
                        1.3, 0.5, 1.5, "filled", at));
    }

    private static void insertIntent(long index, String at, Long accountId, Long userId, String outcome, int status,
                                     Long orderId) {
        jdbi.useHandle(h -> h.createUpdate("insert into intents (journal_index, received_at, account_id, user_id,"
                        + " symbol, action, side, order_type, quantity, price, client_id, outcome, http_status,"
                        + " order_id, latency_us) values (:index, :at, :account, :user, 'EURUSD', 'open', 'buy', 'market', 1,"
                        + " 1.0854, 'tv-1', :outcome, :status, :order, 42)")
                .bind("index", index)
                .bind("at", OffsetDateTime.parse(at))
                .bind("account", accountId)
                .bind("user", userId)
                .bind("outcome", outcome)
                .bind("status", status)
                .bind("order", orderId)
                .execute());
    }

    private static long newUser() {
        return new UserDao(jdbi).create(uniqueEmail(), null, Plan.TRIAL, SIGNUP).orElseThrow();
    }

    private static String uniqueEmail() {
        return "user" + EMAILS.incrementAndGet() + "@example.com";
    }
}
