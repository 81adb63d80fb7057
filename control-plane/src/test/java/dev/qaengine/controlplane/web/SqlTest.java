package dev.qaengine.controlplane.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Cart      | %cart%
            50%_off   | %50\\%\\_off%
            a\\b      | %a\\\\b%
            """)
    void containsPatternsLowerCaseAndEscapeWildcards(String text, String pattern) {
        assertThat(Sql.containsPattern(text)).isEqualTo(pattern);
    }
}
