package io.tradeflow.core.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** router-core is the domain: it must know nothing of HTTP, SQL or any broker's wire format. */
class LayeringTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?(io\\.netty|org\\.jdbi|java\\.sql|javax\\.sql|com\\.zaxxer|org\\.postgresql|org\\.flywaydb|io\\.tradeflow\\.(http|app|persistence|broker))\\.",
            Pattern.MULTILINE);

    @Test
    void shouldImportNoNettyJdbiSqlOrOuterModules() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> FORBIDDEN.matcher(read(p)).find())
                    .map(Path::toString)
                    .collect(Collectors.toList());
        }
        assertThat(offenders).isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
