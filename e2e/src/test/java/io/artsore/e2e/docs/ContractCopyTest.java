package io.artsore.e2e.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/contract.md is the repository's copy of the binding API, disk and config contract, so that the
 * "docs/contract.md §N" references in code resolve for anyone who clones the project. The original lives
 * beside the project ({@code ../shared/contract.md}, present in CI); the copy must say exactly what it says.
 */
class ContractCopyTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theRepositorysCopyOfTheContractIsTheContract() throws IOException {
        Path original = PROJECT.resolveSibling("shared").resolve("contract.md");
        assumeTrue(Files.exists(original), "the shared contract is beside the project in CI and in development");
        assertThat(PROJECT.resolve("docs/contract.md")).hasSameTextualContentAs(original);
    }
}
