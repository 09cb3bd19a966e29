package io.tradeflow.broker.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stubs refuse what the brokers' documentation does not allow, so a connector that sends a
 * wrong side, type, route, quantity or a search without its account fails its tests instead of
 * passing against a lenient stub.
 */
class StubValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TradeLockerStub tradeLocker = new TradeLockerStub();
    private final ProjectXStub projectX = new ProjectXStub();

    @AfterEach
    void tearDown() {
        tradeLocker.close();
        projectX.close();
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply send(URI uri, String method, String body, String token, String accNum) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (accNum != null) {
            b.header("accNum", accNum);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    private String tradeLockerToken() throws Exception {
        Reply login = send(URI.create(tradeLocker.baseUri() + "/backend-api/auth/jwt/token"), "POST",
                "{\"email\":\"" + TradeLockerStub.EMAIL + "\",\"password\":\"" + TradeLockerStub.PASSWORD + "\",\"server\":\""
                        + TradeLockerStub.SERVER + "\"}", null, null);
        return login.body().path("accessToken").asText();
    }

    private Reply placeAtTradeLocker(String token, String order) throws Exception {
        return send(URI.create(tradeLocker.baseUri() + "/backend-api/trade/accounts/" + TradeLockerStub.ACCOUNT_ID + "/orders"),
                "POST", order, token, TradeLockerStub.ACC_NUM);
    }

    @Test
    void shouldRefuseTradeLockerOrdersOutsideTheDocumentedValues() throws Exception {
        String token = tradeLockerToken();
        String good = "{\"qty\":1,\"routeId\":9001,\"side\":\"buy\",\"validity\":\"IOC\",\"type\":\"market\",\"tradableInstrumentId\":278}";

        assertThat(placeAtTradeLocker(token, good).status()).isEqualTo(200);
        assertThat(placeAtTradeLocker(token, good.replace("\"buy\"", "\"long\"")).body().path("errmsg").asText()).contains("side");
        assertThat(placeAtTradeLocker(token, good.replace("\"market\"", "\"stop_limit\"")).body().path("errmsg").asText())
                .contains("type");
        assertThat(placeAtTradeLocker(token, good.replace("9001", "7001")).body().path("errmsg").asText()).contains("routeId");
        assertThat(placeAtTradeLocker(token, good.replace("\"qty\":1", "\"qty\":0")).body().path("errmsg").asText())
                .contains("qty");
        assertThat(placeAtTradeLocker(token, good.replace("\"IOC\"", "\"GTC\"")).body().path("errmsg").asText())
                .contains("validity");
        assertThat(tradeLocker.orders()).hasSize(1);
        Reply details = send(URI.create(tradeLocker.baseUri() + "/backend-api/trade/instruments/278"), "GET", null, token,
                TradeLockerStub.ACC_NUM);
        assertThat(details.body().path("errmsg").asText()).contains("routeId");
    }

    @Test
    void shouldRefuseProjectXCallsWithoutTheirRequiredFields() throws Exception {
        Reply login = send(URI.create(projectX.baseUri() + "/api/Auth/loginKey"), "POST",
                "{\"userName\":\"" + ProjectXStub.USER + "\",\"apiKey\":\"" + ProjectXStub.API_KEY + "\"}", null, null);
        String token = login.body().path("token").asText();
        String good = "{\"accountId\":536,\"contractId\":\"" + ProjectXStub.NQ_CONTRACT + "\",\"type\":2,\"side\":0,\"size\":1}";
        URI place = URI.create(projectX.baseUri() + "/api/Order/place");

        assertThat(send(place, "POST", good, token, null).body().path("success").asBoolean()).isTrue();
        assertThat(send(place, "POST", good.replace(",\"side\":0", ""), token, null).body().path("errorMessage").asText())
                .contains("side");
        assertThat(send(place, "POST", good.replace("\"type\":2", "\"type\":3"), token, null).body().path("success").asBoolean())
                .isFalse();
        assertThat(send(place, "POST", good.replace("\"size\":1", "\"size\":1.5"), token, null).body().path("success").asBoolean())
                .isFalse();
        assertThat(send(place, "POST", good.replace("\"size\":1", "\"size\":0"), token, null).body().path("success").asBoolean())
                .isFalse();
        assertThat(send(URI.create(projectX.baseUri() + "/api/Order/search"), "POST", "{\"startTimestamp\":\"2026-01-01T00:00:00Z\"}",
                token, null).body().path("errorMessage").asText()).contains("accountId");
        assertThat(send(URI.create(projectX.baseUri() + "/api/Order/search"), "POST", "{\"accountId\":536}", token, null)
                .body().path("errorMessage").asText()).contains("startTimestamp");
        assertThat(send(URI.create(projectX.baseUri() + "/api/Position/searchOpen"), "POST", "{}", token, null)
                .body().path("errorMessage").asText()).contains("accountId");
        assertThat(projectX.orders()).hasSize(1);
    }
}
