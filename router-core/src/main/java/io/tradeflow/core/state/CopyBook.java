package io.tradeflow.core.state;

import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.CopyLink;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Copy trading's routing state: which accounts are published masters and, per master, its
 * follower links in a fixed order (subscription id, then follower account id), so a fan-out is
 * deterministic. Changed only by COPY_* control events (and the start-up load), on the ring thread.
 */
public final class CopyBook {
    /** The follower limit when none is configured. */
    public static final int DEFAULT_MAX_FOLLOWERS_PER_MASTER = 1_000;
    private static final Comparator<Follower> ORDER = Comparator.<Follower>comparingLong(f -> f.link.subscriptionId())
            .thenComparingLong(f -> f.link.followerAccountId());

    private final Long2ObjectHashMap<Master> masters = new Long2ObjectHashMap<>();
    private int maxFollowersPerMaster = DEFAULT_MAX_FOLLOWERS_PER_MASTER;

    /** How many follower accounts one master's alert is copied to; the ones after them are refused. */
    public int maxFollowersPerMaster() {
        return maxFollowersPerMaster;
    }

    public void maxFollowersPerMaster(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max followers per master must be >= 0");
        }
        this.maxFollowersPerMaster = max;
    }

    /** Publishes the account as a master (its accepted alerts are copied) or withdraws it. */
    public void master(long accountId, boolean published) {
        master(accountId).published = published;
    }

    public boolean published(long accountId) {
        Master m = masters.get(accountId);
        return m != null && m.published;
    }

    /** Sets or replaces the link of the subscription and follower account it names. */
    public void link(CopyLink link) {
        Master m = master(link.masterAccountId());
        for (int i = 0; i < m.followers.size(); i++) {
            if (m.followers.get(i).link.sameSlot(link)) {
                m.followers.set(i, new Follower(link));
                return;
            }
        }
        m.followers.add(new Follower(link));
        m.followers.sort(ORDER);
    }

    /** Removes the link of the subscription and follower account {@code link} names. */
    public void unlink(CopyLink link) {
        Master m = masters.get(link.masterAccountId());
        if (m != null) {
            m.followers.removeIf(f -> f.link.sameSlot(link));
        }
    }

    /** The master's followers in fan-out order (empty when none); the list is live, read it on the ring thread. */
    public List<Follower> followers(long masterAccountId) {
        Master m = masters.get(masterAccountId);
        return m == null ? List.of() : m.followers;
    }

    /** Every link, for tests and the state digest. */
    public List<CopyLink> links() {
        List<CopyLink> all = new ArrayList<>();
        masters.values().forEach(m -> m.followers.forEach(f -> all.add(f.link)));
        all.sort(Comparator.comparingLong(CopyLink::masterAccountId).thenComparingLong(CopyLink::subscriptionId)
                .thenComparingLong(CopyLink::followerAccountId));
        return all;
    }

    /** The published masters' account ids, sorted. */
    public long[] publishedMasters() {
        return masters.entrySet().stream().filter(e -> e.getValue().published).mapToLong(Map.Entry::getKey)
                .sorted().toArray();
    }

    private Master master(long accountId) {
        Master m = masters.get(accountId);
        if (m == null) {
            m = new Master();
            masters.put(accountId, m);
        }
        return m;
    }

    private static final class Master {
        boolean published;
        final List<Follower> followers = new ArrayList<>();
    }

    /** One follower link with its symbol map as bytes, so mapping a symbol on the ring thread does not allocate. */
    public static final class Follower {
        private final CopyLink link;
        private final byte[][] from;
        private final byte[][] to;

        Follower(CopyLink link) {
            this.link = link;
            this.from = new byte[link.symbolMap().size()][];
            this.to = new byte[link.symbolMap().size()][];
            int i = 0;
            for (Map.Entry<String, String> entry : link.symbolMap().entrySet()) {
                from[i] = entry.getKey().getBytes(StandardCharsets.US_ASCII);
                to[i] = entry.getValue().getBytes(StandardCharsets.US_ASCII);
                i++;
            }
        }

        public CopyLink link() {
            return link;
        }

        /** Replaces {@code symbol} with the follower's symbol when the map names it; true when it did. */
        public boolean mapSymbol(AsciiField symbol) {
            for (int i = 0; i < from.length; i++) {
                if (symbol.contentEquals(from[i])) {
                    return symbol.set(to[i], 0, to[i].length);
                }
            }
            return false;
        }
    }
}
