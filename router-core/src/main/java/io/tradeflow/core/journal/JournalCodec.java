package io.tradeflow.core.journal;

import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary layout of a journal record: a version byte, the event's input, then its decision.
 * Only the SHA-256 of the API key is written, never the key. Strings other than the decision's
 * reason and field are fixed ASCII fields, so encoding does not allocate.
 */
public final class JournalCodec {
    /**
     * 2 added the alert format, size mode, add flag, order price, body hash, ticker, repeat-of index, position
     * entries, the account's realised total, the position's stop-loss and take-profit prices and ALERT_SETTINGS.
     * 3 added the alert's strategy tag, its source address and SOURCE_ALLOWLIST. Records of versions 1
     * and 2 are still read; they carry no tag and no address.
     * 4 added the position's trailing distance and the pending order's signed lots (the PRICE and
     * TRIGGERED event types use the intent layout). Version 3 records are still read (no trail, no pending order).
     * 6 (copy trading; 5 is left to another change) added, after the decision of every non-control record, a
     * follower copy's master account, subscription and parent journal index, and the COPY_MASTER, COPY_LINK and
     * COPY_UNLINK controls. Version 4 records are still read (not copies).
     */
    static final byte VERSION = 6;
    private static final byte VERSION_4 = 4;
    private static final byte VERSION_3 = 3;
    private static final byte VERSION_1 = 1;
    private static final byte VERSION_2 = 2;
    private static final byte NONE = -1;
    /** More blocks than any account can be given: a larger count means a corrupt record. */
    private static final int MAX_BLOCKS = 1 << 16;

    private JournalCodec() {
    }

    public static void write(RingEvent e, BytesOut<?> out) {
        out.writeByte(VERSION);
        out.writeByte(JournalCodes.EVENT_TYPE.code(e.type));
        out.writeLong(e.receivedAtMillis);
        if (e.type == EventType.CONTROL) {
            out.writeByte(JournalCodes.CONTROL_TYPE.code(e.controlType));
            out.writeLong(e.controlAccountId);
            out.writeLong(e.controlUserId);
            out.writeByte(e.controlBroker == null ? NONE : JournalCodes.BROKER.code(e.controlBroker));
            out.writeBoolean(e.controlFlag);
            out.writeLong(e.controlTimeMillis);
            out.writeInt(e.controlCount);
            out.writeBoolean(e.controlTrial);
            out.write(e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            if (e.controlType == ControlType.RISK_LIMITS) {
                writeRiskLimits(out, e.controlRiskLimits);
            } else if (e.controlType == ControlType.CLOSE_POSITION) {
                writeAscii(out, e.symbol);
            } else if (e.controlType == ControlType.ALERT_SETTINGS) {
                writeAlertSettings(out, e.controlAlertSettings);
            } else if (e.controlType == ControlType.SOURCE_ALLOWLIST) {
                writeBlocks(out, e.controlAllowedSources);
            } else if (e.controlType == ControlType.COPY_LINK || e.controlType == ControlType.COPY_UNLINK) {
                writeCopyLink(out, e.controlCopyLink);
            }
        } else {
            out.writeBoolean(e.keyPresent);
            out.write(e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            out.writeByte(e.requestedBroker == null ? NONE : JournalCodes.BROKER.code(e.requestedBroker));
            out.writeByte(JournalCodes.ACTION.code(e.action));
            out.writeByte(e.side == null ? NONE : JournalCodes.SIDE.code(e.side));
            out.writeByte(JournalCodes.ORDER_TYPE.code(e.orderType));
            writeAscii(out, e.symbol);
            out.writeDouble(e.quantity);
            out.writeDouble(e.price);
            out.writeByte(JournalCodes.STOP_MODE.code(e.stopLossMode));
            out.writeDouble(e.stopLossValue);
            out.writeByte(JournalCodes.STOP_MODE.code(e.takeProfitMode));
            out.writeDouble(e.takeProfitValue);
            writeAscii(out, e.clientId);
            out.writeLong(e.signalTimeMillis);
            out.writeByte(JournalCodes.ALERT_FORMAT.code(e.format));
            out.writeByte(JournalCodes.SIZE_MODE.code(e.sizeMode));
            out.writeBoolean(e.addToPosition);
            out.writeDouble(e.orderPrice);
            out.writeLong(e.bodyHash);
            writeAscii(out, e.ticker);
            out.writeLong(e.repeatOfIndex);
            writeAscii(out, e.strategy);
            out.writeByte((byte) e.sourceAddressLength);
            out.write(e.sourceAddress, 0, e.sourceAddressLength);
            if (e.type == EventType.BROKER_REPORT) {
                // Broker reports did not exist before this layout; intent records are unchanged.
                out.writeByte(JournalCodes.REPORT_KIND.code(e.reportKind));
                writeAscii(out, e.brokerOrderId);
            }
        }
        out.writeByte(JournalCodes.OUTCOME.code(e.outcome));
        out.writeUtf8(e.reason);
        out.writeUtf8(e.field);
        out.writeInt(e.retryAfterSeconds);
        out.writeLong(e.accountId);
        out.writeLong(e.userId);
        out.writeLong(e.orderId);
        out.writeDouble(e.fillPrice);
        out.writeDouble(e.filledQuantity);
        out.writeDouble(e.commission);
        out.writeDouble(e.realizedPnl);
        out.writeDouble(e.positionQuantity);
        out.writeDouble(e.positionAveragePrice);
        out.writeLong(e.tradingDay);
        out.writeDouble(e.dayRealizedPnl);
        out.writeInt(e.tradesUsed);
        // Latency is an observation, not state: kept for the webhook log only.
        out.writeLong(e.decisionNanos);
        out.writeInt(e.positionEntries);
        out.writeDouble(e.accountRealizedPnl);
        out.writeDouble(e.positionStopLoss);
        out.writeDouble(e.positionTakeProfit);
        out.writeDouble(e.positionTrailDistance);
        out.writeDouble(e.pendingQuantity);
        if (e.type != EventType.CONTROL) {
            out.writeLong(e.copyMasterAccountId);
            out.writeLong(e.copySubscriptionId);
            out.writeLong(e.copyParentIndex);
        }
    }

    public static void read(BytesIn<?> in, RingEvent e) {
        byte version = in.readByte();
        if (version != VERSION && version != VERSION_4 && version != VERSION_3 && version != VERSION_2
                && version != VERSION_1) {
            throw new IllegalStateException("unsupported journal record version " + version);
        }
        e.reset();
        e.type = JournalCodes.EVENT_TYPE.fromCode(in.readByte());
        e.receivedAtMillis = in.readLong();
        if (e.type == EventType.CONTROL) {
            e.controlType = JournalCodes.CONTROL_TYPE.fromCode(in.readByte());
            e.controlAccountId = in.readLong();
            e.controlUserId = in.readLong();
            byte broker = in.readByte();
            e.controlBroker = broker == NONE ? null : JournalCodes.BROKER.fromCode(broker);
            e.controlFlag = in.readBoolean();
            e.controlTimeMillis = in.readLong();
            e.controlCount = in.readInt();
            e.controlTrial = in.readBoolean();
            in.read(e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            if (e.controlType == ControlType.RISK_LIMITS) {
                e.controlRiskLimits = readRiskLimits(in);
            } else if (e.controlType == ControlType.CLOSE_POSITION) {
                readAscii(in, e.symbol);
            } else if (e.controlType == ControlType.ALERT_SETTINGS) {
                e.controlAlertSettings = readAlertSettings(in);
            } else if (e.controlType == ControlType.SOURCE_ALLOWLIST) {
                e.controlAllowedSources = readBlocks(in);
            } else if (e.controlType == ControlType.COPY_LINK || e.controlType == ControlType.COPY_UNLINK) {
                e.controlCopyLink = readCopyLink(in);
            }
        } else {
            e.keyPresent = in.readBoolean();
            in.read(e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            byte broker = in.readByte();
            e.requestedBroker = broker == NONE ? null : JournalCodes.BROKER.fromCode(broker);
            e.action = JournalCodes.ACTION.fromCode(in.readByte());
            byte side = in.readByte();
            e.side = side == NONE ? null : JournalCodes.SIDE.fromCode(side);
            e.orderType = JournalCodes.ORDER_TYPE.fromCode(in.readByte());
            readAscii(in, e.symbol);
            e.quantity = in.readDouble();
            e.price = in.readDouble();
            e.stopLossMode = JournalCodes.STOP_MODE.fromCode(in.readByte());
            e.stopLossValue = in.readDouble();
            e.takeProfitMode = JournalCodes.STOP_MODE.fromCode(in.readByte());
            e.takeProfitValue = in.readDouble();
            readAscii(in, e.clientId);
            e.signalTimeMillis = in.readLong();
            if (version >= VERSION_2) {
                e.format = JournalCodes.ALERT_FORMAT.fromCode(in.readByte());
                e.sizeMode = JournalCodes.SIZE_MODE.fromCode(in.readByte());
                e.addToPosition = in.readBoolean();
                e.orderPrice = in.readDouble();
                e.bodyHash = in.readLong();
                readAscii(in, e.ticker);
                e.repeatOfIndex = in.readLong();
            }
            if (version >= VERSION_3) {
                readAscii(in, e.strategy);
                int sourceLength = in.readByte() & 0xFF;
                if (sourceLength > RingEvent.SOURCE_ADDRESS_CAPACITY) {
                    throw new IllegalStateException("corrupt journal record: source address of " + sourceLength + " bytes");
                }
                in.read(e.sourceAddress, 0, sourceLength);
                e.sourceAddressLength = sourceLength;
            }
            if (e.type == EventType.BROKER_REPORT) {
                e.reportKind = JournalCodes.REPORT_KIND.fromCode(in.readByte());
                readAscii(in, e.brokerOrderId);
            }
        }
        e.outcome = JournalCodes.OUTCOME.fromCode(in.readByte());
        e.reason = in.readUtf8();
        e.field = in.readUtf8();
        e.retryAfterSeconds = in.readInt();
        e.accountId = in.readLong();
        e.userId = in.readLong();
        e.orderId = in.readLong();
        e.fillPrice = in.readDouble();
        e.filledQuantity = in.readDouble();
        e.commission = in.readDouble();
        e.realizedPnl = in.readDouble();
        e.positionQuantity = in.readDouble();
        e.positionAveragePrice = in.readDouble();
        e.tradingDay = in.readLong();
        e.dayRealizedPnl = in.readDouble();
        e.tradesUsed = in.readInt();
        e.decisionNanos = in.readLong();
        if (version >= VERSION_2) {
            e.positionEntries = in.readInt();
            e.accountRealizedPnl = in.readDouble();
            e.positionStopLoss = in.readDouble();
            e.positionTakeProfit = in.readDouble();
        }
        if (version >= VERSION_4) {
            e.positionTrailDistance = in.readDouble();
            e.pendingQuantity = in.readDouble();
        }
        if (version >= VERSION && e.type != EventType.CONTROL) {
            e.copyMasterAccountId = in.readLong();
            e.copySubscriptionId = in.readLong();
            e.copyParentIndex = in.readLong();
        }
    }

    private static void writeRiskLimits(BytesOut<?> out, RiskLimits r) {
        out.writeDouble(r.maxQuantity());
        out.writeDouble(r.maxDailyLoss());
        out.writeInt(r.maxOpenPositions());
        out.writeUtf8(r.tradingHours());
        out.writeUtf8(r.timeZone().getId());
        out.writeInt(r.allowedSymbols().size());
        for (String symbol : r.allowedSymbols()) {
            out.writeUtf8(symbol);
        }
        out.writeInt(r.rateLimitPerWindow());
        out.writeLong(r.rateLimitWindow().toMillis());
    }

    private static RiskLimits readRiskLimits(BytesIn<?> in) {
        double maxQuantity = in.readDouble();
        double maxDailyLoss = in.readDouble();
        int maxOpenPositions = in.readInt();
        String tradingHours = in.readUtf8();
        ZoneId zone = ZoneId.of(in.readUtf8());
        int symbolCount = in.readInt();
        List<String> symbols = new ArrayList<>(symbolCount);
        for (int i = 0; i < symbolCount; i++) {
            symbols.add(in.readUtf8());
        }
        int perWindow = in.readInt();
        Duration window = Duration.ofMillis(in.readLong());
        return new RiskLimits(maxQuantity, maxDailyLoss, maxOpenPositions, tradingHours, zone, symbols, perWindow, window);
    }

    private static void writeAlertSettings(BytesOut<?> out, AlertSettings a) {
        out.writeInt(a.pyramiding());
        out.writeLong(a.duplicateWindow().toMillis());
        out.writeLong(a.maxSignalAge().toMillis());
        out.writeLong(a.idempotencyWindow().toMillis());
        out.writeInt(a.symbolMap().size());
        for (Map.Entry<String, String> entry : new TreeMap<>(a.symbolMap()).entrySet()) {
            out.writeUtf8(entry.getKey());
            out.writeUtf8(entry.getValue());
        }
        out.writeUtf8(a.symbolSuffix());
    }

    private static AlertSettings readAlertSettings(BytesIn<?> in) {
        int pyramiding = in.readInt();
        Duration duplicateWindow = Duration.ofMillis(in.readLong());
        Duration maxSignalAge = Duration.ofMillis(in.readLong());
        Duration idempotencyWindow = Duration.ofMillis(in.readLong());
        int entries = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(in.readUtf8(), in.readUtf8());
        }
        return new AlertSettings(pyramiding, duplicateWindow, maxSignalAge, idempotencyWindow, map, in.readUtf8());
    }

    private static void writeCopyLink(BytesOut<?> out, CopyLink link) {
        out.writeLong(link.subscriptionId());
        out.writeLong(link.masterAccountId());
        out.writeLong(link.followerAccountId());
        out.writeLong(link.followerUserId());
        out.writeByte(link.sizeMode() == null ? NONE : JournalCodes.SIZE_MODE.code(link.sizeMode()));
        out.writeDouble(link.sizeValue());
        out.writeBoolean(link.active());
        out.writeInt(link.symbolMap().size());
        for (Map.Entry<String, String> entry : new TreeMap<>(link.symbolMap()).entrySet()) {
            out.writeUtf8(entry.getKey());
            out.writeUtf8(entry.getValue());
        }
    }

    private static CopyLink readCopyLink(BytesIn<?> in) {
        long subscriptionId = in.readLong();
        long masterAccountId = in.readLong();
        long followerAccountId = in.readLong();
        long followerUserId = in.readLong();
        byte mode = in.readByte();
        double value = in.readDouble();
        boolean active = in.readBoolean();
        int entries = in.readInt();
        if (entries < 0 || entries > CopyLink.MAX_SYMBOL_MAP_ENTRIES) {
            throw new IllegalStateException("corrupt journal record: " + entries + " copy symbol map entries");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(in.readUtf8(), in.readUtf8());
        }
        return new CopyLink(subscriptionId, masterAccountId, followerAccountId, followerUserId,
                mode == NONE ? null : JournalCodes.SIZE_MODE.fromCode(mode), value, active, map);
    }

    private static void writeBlocks(BytesOut<?> out, List<CidrBlock> blocks) {
        out.writeInt(blocks.size());
        for (CidrBlock block : blocks) {
            out.writeLong(block.high());
            out.writeLong(block.low());
            out.writeByte((byte) block.prefixLength());
        }
    }

    private static List<CidrBlock> readBlocks(BytesIn<?> in) {
        int count = in.readInt();
        if (count < 0 || count > MAX_BLOCKS) {
            throw new IllegalStateException("corrupt journal record: " + count + " allowed sources");
        }
        List<CidrBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(new CidrBlock(in.readLong(), in.readLong(), in.readByte() & 0xFF));
        }
        return List.copyOf(blocks);
    }

    private static void writeAscii(BytesOut<?> out, AsciiField field) {
        out.writeByte((byte) field.length());
        out.write(field.array(), 0, field.length());
    }

    private static void readAscii(BytesIn<?> in, AsciiField field) {
        int length = in.readByte() & 0xFF;
        byte[] bytes = field.array();
        if (length > bytes.length) {
            throw new IllegalStateException("corrupt journal record: field of " + length + " bytes");
        }
        in.read(bytes, 0, length);
        field.set(bytes, 0, length);
    }
}
