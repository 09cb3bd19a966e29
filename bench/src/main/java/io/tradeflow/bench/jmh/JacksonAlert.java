package io.tradeflow.bench.jmh;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The parsing baseline: the unify.v1 alert as the POJO tree an ordinary Jackson
 * {@code ObjectMapper.readValue} would produce (strings for enums and times, as a typical service
 * would bind them before validating).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JacksonAlert(String version, String source, String id, Intent intent,
                           @JsonProperty("user_context") Map<String, Object> userContext, String ts,
                           @JsonProperty("api_key") String apiKey) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Intent(String broker, String action, String side, String type, String symbol, double qty,
                         double price, Stop sl, Stop tp) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stop(String mode, double value) {
    }
}
