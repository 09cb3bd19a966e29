package io.tradeflow.broker.http;

import com.fasterxml.jackson.databind.JsonNode;

/** An HTTP answer whose body was parsed as JSON (a missing node when empty). */
public record JsonResponse(int status, JsonNode body) {
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
