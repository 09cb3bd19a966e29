package io.tradeflow.http.api;

/** Handles one route on the dashboard executor (never on the event loop); may block on JDBI. */
@FunctionalInterface
public interface Handler {
    ApiResponse handle(ApiRequest request, Caller caller);
}
