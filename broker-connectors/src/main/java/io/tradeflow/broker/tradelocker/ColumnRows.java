package io.tradeflow.broker.tradelocker;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * TradeLocker sends positions and orders as arrays of strings in the column order that
 * {@code /trade/config} announces. This reads a row by column name, and also accepts rows sent as
 * objects, so a change of shape does not break the connector.
 */
final class ColumnRows {
    static final List<String> POSITION_COLUMNS = List.of("id", "tradableInstrumentId", "routeId", "side", "qty",
            "avgPrice", "stopLossId", "takeProfitId", "openDate", "unrealizedPl", "strategyId");
    static final List<String> ORDER_COLUMNS = List.of("id", "tradableInstrumentId", "routeId", "qty", "side", "type",
            "status", "filledQty", "avgPrice", "price", "stopPrice", "validity", "expireDate", "createdDate",
            "lastModified", "isOpen", "positionId", "stopLoss", "stopLossType", "takeProfit", "takeProfitType",
            "strategyId");

    private final List<String> columns;

    ColumnRows(List<String> columns) {
        this.columns = columns;
    }

    /** The column ids of {@code config.<name>.columns[].id}, or the documented default order. */
    static ColumnRows fromConfig(JsonNode config, String name, List<String> defaults) {
        JsonNode columns = config.path(name).path("columns");
        if (!columns.isArray() || columns.isEmpty()) {
            return new ColumnRows(defaults);
        }
        List<String> ids = new ArrayList<>(columns.size());
        columns.forEach(c -> ids.add(c.path("id").asText()));
        return new ColumnRows(ids);
    }

    String text(JsonNode row, String column) {
        JsonNode value;
        if (row.isArray()) {
            int i = columns.indexOf(column);
            value = i < 0 ? null : row.get(i);
        } else {
            value = row.get(column);
        }
        return value == null || value.isNull() ? "" : value.asText();
    }

    double number(JsonNode row, String column) {
        String text = text(row, column);
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
