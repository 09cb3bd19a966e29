package io.tradeflow.config;

import java.time.Duration;
import java.util.List;

/**
 * Webhook ingress server settings. The size limits exist so a hostile or broken client cannot make the server
 * buffer unbounded data.
 *
 * @param host                interface to bind, e.g. {@code 0.0.0.0}
 * @param port                TCP port; 0 asks the OS for a free ephemeral port
 * @param maxBodyBytes        largest accepted request body, in bytes
 * @param maxHeaderBytes      largest accepted total header size, in bytes
 * @param maxInitialLineBytes largest accepted request line, in bytes
 * @param maxConnections      concurrent connections accepted before new ones are refused
 * @param requestTimeout      time allowed to receive a complete request
 * @param publicBaseUrl       externally visible http(s) base URL without trailing slash, or {@code ""} when unset
 * @param perIpRequests       requests one client address may make per {@code perIpWindow} before 429
 * @param perIpWindow         length of the per-address rate-limit window
 * @param webhookAllowedSources addresses the webhook accepts alerts from; empty accepts any
 * @param corsOrigins         exact origins ({@code https://app.example.com}) a separately hosted frontend may call the
 *                            API from, with credentials; empty = same origin only
 */
public record HttpConfig(String host, int port, int maxBodyBytes, int maxHeaderBytes, int maxInitialLineBytes,
                         int maxConnections, Duration requestTimeout, String publicBaseUrl,
                         int perIpRequests, Duration perIpWindow, List<CidrBlock> webhookAllowedSources,
                         List<String> corsOrigins) {
    /** Without cross-origin access. */
    public HttpConfig(String host, int port, int maxBodyBytes, int maxHeaderBytes, int maxInitialLineBytes,
                      int maxConnections, Duration requestTimeout, String publicBaseUrl,
                      int perIpRequests, Duration perIpWindow, List<CidrBlock> webhookAllowedSources) {
        this(host, port, maxBodyBytes, maxHeaderBytes, maxInitialLineBytes, maxConnections, requestTimeout,
                publicBaseUrl, perIpRequests, perIpWindow, webhookAllowedSources, List.of());
    }
}
