package io.tradeflow.persistence.dao;

import io.tradeflow.config.CidrBlock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads per-account source-IP allowlists, which the projection writes from SOURCE_ALLOWLIST
 * commands. An account without a row accepts alerts from any address.
 */
public final class AllowedSourcesDao {
    /** One account's list. */
    public record AccountSources(long accountId, List<CidrBlock> blocks) {
    }

    private final Jdbi jdbi;

    public AllowedSourcesDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's list; empty when it accepts any address. */
    public List<CidrBlock> findByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select sources from account_allowed_sources where account_id = :id")
                .bind("id", accountId)
                .map((rs, ctx) -> blocks(rs))
                .findOne()
                .orElse(List.of()));
    }

    /** Every account's list, read in the caller's transaction (start-up loading). */
    public static List<AccountSources> listAll(Handle handle) {
        return handle.createQuery("select account_id, sources from account_allowed_sources order by account_id")
                .map((rs, ctx) -> new AccountSources(rs.getLong("account_id"), blocks(rs)))
                .list();
    }

    /** The stored notation was written by CidrBlock itself, so a row that does not parse is corruption. */
    private static List<CidrBlock> blocks(ResultSet rs) throws SQLException {
        String[] texts = (String[]) rs.getArray("sources").getArray();
        List<CidrBlock> blocks = new ArrayList<>(texts.length);
        for (String text : texts) {
            blocks.add(CidrBlock.parse(text).orElseThrow(
                    () -> new IllegalStateException("account_allowed_sources holds an invalid block: " + text)));
        }
        return List.copyOf(blocks);
    }
}
