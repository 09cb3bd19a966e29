package io.tradeflow.core.alert;

import io.tradeflow.core.event.AlertFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The body's language is told from its top-level keys only, scanned in the raw bytes. */
class AlertFormatDetectionTest {
    private final AlertParser parser = new AlertParser(new KeyHasher(), 16 * 1024);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"ticker\":\"AAPL\",\"action\":\"buy\"}`|TRADERSPOST",
        "` \n {\"ticker\" : \"AAPL\"}\n`|TRADERSPOST",
        "`{\"version\":\"unify.v1\",\"ticker\":\"AAPL\"}`|UNIFY",
        "`{\"ticker\":\"AAPL\",\"intent\":{}}`|UNIFY",
        // Nested keys and string values do not count: only a top-level key does.
        "`{\"meta\":{\"ticker\":\"AAPL\"},\"intent\":{\"symbol\":\"EURUSD\"}}`|UNIFY",
        "`{\"note\":\"ticker\",\"action\":\"buy\"}`|UNIFY",
        "`{\"ticker\":\"AAPL\",\"extra\":{\"intent\":1,\"version\":2}}`|TRADERSPOST",
        // An escaped quote does not end a string early.
        "`{\"comment\":\"say \\\"intent\\\": now\",\"ticker\":\"AAPL\"}`|TRADERSPOST",
        // Broken bodies: what was seen before the break decides.
        "`{\"ticker\":\"AAPL\",`|TRADERSPOST",
        "`{\"ticker`|UNIFY",
        "`{`|UNIFY",
        "`[1,2]`|UNIFY",
        "`tf_live_key,buy,EURUSD,risk=1`|PINECONNECTOR",
    })
    void shouldDetectTheLanguageFromTopLevelKeys(String body, AlertFormat expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(parser.detect(bytes, 0, bytes.length)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"`\uFEFF{\"ticker\":\"AAPL\"}`|TRADERSPOST"})
    void shouldSkipAByteOrderMark(String body, AlertFormat expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(parser.detect(bytes, 0, bytes.length)).isEqualTo(expected);
    }
}
