package io.tradeflow.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object body with validating accessors: every refusal is a 400 naming the field (with its
 * path, e.g. {@code credentials.password}). Unknown fields are refused too, so a typo is not
 * silently ignored.
 */
public final class JsonBody {
    private static final ObjectMapper PARSER = new ObjectMapper();

    private final JsonNode node;
    private final String prefix;

    private JsonBody(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    static JsonBody parse(byte[] bytes) {
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new JsonBody(JsonNodeFactory.instance.objectNode(), "");
        }
        JsonNode node;
        try {
            node = PARSER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("body", "body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.invalid("body", "body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "body must be a JSON object");
        }
        return new JsonBody(node, "");
    }

    private String path(String field) {
        return prefix + field;
    }

    /** Refuses fields other than the allowed ones. */
    public JsonBody allowOnly(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.invalid(path(name), "unknown field " + path(name));
            }
        }
        return this;
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** A required, non-blank string of at most {@code maxLength} characters, trimmed. */
    public String text(String field, int maxLength) {
        String value = optionalText(field, maxLength);
        if (value == null) {
            throw ApiException.invalid(path(field), path(field) + " is required");
        }
        return value;
    }

    /** A non-blank trimmed string, or null when absent. */
    public String optionalText(String field, int maxLength) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw ApiException.invalid(path(field), path(field) + " must be a string");
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            throw ApiException.invalid(path(field), path(field) + " must not be empty");
        }
        if (text.length() > maxLength) {
            throw ApiException.invalid(path(field), path(field) + " must be at most " + maxLength + " characters");
        }
        return text;
    }

    /** A string that may be empty, exactly as sent (not trimmed: passwords), or null when absent. */
    public String optionalTextAllowEmpty(String field, int maxLength) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isTextual() || value.asText().length() > maxLength) {
            throw ApiException.invalid(path(field), path(field) + " must be a string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    public Boolean optionalBoolean(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw ApiException.invalid(path(field), path(field) + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A number within [min, max], or null when absent. Numbers sent as strings are accepted. */
    public Double optionalNumber(String field, double min, double max) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        double number;
        if (value.isNumber()) {
            number = value.doubleValue();
        } else if (value.isTextual()) {
            try {
                number = Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid(path(field), path(field) + " must be a number");
            }
        } else {
            throw ApiException.invalid(path(field), path(field) + " must be a number");
        }
        if (!Double.isFinite(number) || number < min || number > max) {
            throw ApiException.invalid(path(field), path(field) + " must be from " + min + " to " + max);
        }
        return number;
    }

    public Integer optionalInt(String field, int min, int max) {
        Double number = optionalNumber(field, min, max);
        if (number == null) {
            return null;
        }
        if (number != Math.rint(number)) {
            throw ApiException.invalid(path(field), path(field) + " must be a whole number");
        }
        return number.intValue();
    }

    /** A list of non-empty strings, or null when absent. */
    public List<String> optionalTextList(String field, int maxItems, int maxLength) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isArray() || value.size() > maxItems) {
            throw ApiException.invalid(path(field), path(field) + " must be a list of at most " + maxItems + " strings");
        }
        List<String> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength) {
                throw ApiException.invalid(path(field), path(field) + " must hold non-empty strings of at most "
                        + maxLength + " characters");
            }
            items.add(item.asText().trim());
        }
        return items;
    }

    /**
     * An object of non-empty strings ({@code {"NQ1!": "MNQ"}}) in the sender's order, or null when
     * absent; names and values trimmed.
     */
    /** A list of positive whole ids (numbers or numeric strings), at most {@code maxItems}, no repeats; null when absent. */
    public List<Long> optionalIdList(String field, int maxItems) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isArray() || value.isEmpty() || value.size() > maxItems) {
            throw ApiException.invalid(path(field), path(field) + " must be a list of 1 to " + maxItems + " ids");
        }
        List<Long> ids = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            long id;
            if (item.isIntegralNumber() && item.canConvertToLong()) {
                id = item.longValue();
            } else if (item.isTextual() && item.asText().matches("[0-9]{1,18}")) {
                id = Long.parseLong(item.asText());
            } else {
                id = 0;
            }
            if (id <= 0 || ids.contains(id)) {
                throw ApiException.invalid(path(field), path(field) + " must hold distinct positive ids");
            }
            ids.add(id);
        }
        return ids;
    }

    public Map<String, String> optionalTextMap(String field, int maxEntries, int maxLength) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isObject() || value.size() > maxEntries) {
            throw ApiException.invalid(path(field), path(field) + " must be an object of at most " + maxEntries
                    + " string entries");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String name = entry.getKey().trim();
            JsonNode item = entry.getValue();
            if (name.isEmpty() || name.length() > maxLength || !item.isTextual() || item.asText().isBlank()
                    || item.asText().trim().length() > maxLength) {
                throw ApiException.invalid(path(field), path(field) + " must map non-empty names to non-empty strings"
                        + " of at most " + maxLength + " characters");
            }
            entries.put(name, item.asText().trim());
        }
        return entries;
    }

    /** A nested object whose fields are named {@code field.x} in errors; an empty one when absent. */
    public JsonBody object(String field) {
        if (!has(field)) {
            return new JsonBody(JsonNodeFactory.instance.objectNode(), path(field) + ".");
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            throw ApiException.invalid(path(field), path(field) + " must be an object");
        }
        return new JsonBody(value, path(field) + ".");
    }
}
