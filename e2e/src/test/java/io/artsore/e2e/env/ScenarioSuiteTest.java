package io.artsore.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the plan's 30 scenarios (e2e/scripts/test-all.sh, after init-data.sh) against the local environment:
 * real element processes and a jwks-mock on loopback. The scripts' PASS/FAIL lines are echoed into the build
 * log so CI shows all 30.
 */
class ScenarioSuiteTest {
    @TempDir
    Path root;

    @Test
    void allThirtyScenariosPass() throws Exception {
        Path scripts = locateScripts();
        try (LocalEnvironment env = LocalEnvironment.start(root, System.getProperty("java.class.path"))) {
            ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve("test-all.sh").toString())
                    .redirectErrorStream(true);
            pb.environment().putAll(env.scriptEnv());
            pb.environment().put("RUN_INIT", "1");
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[scenarios] " + line);
                    lines.add(line);
                }
            }
            assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
            assertThat(lines).as("scenario output").contains("30 passed, 0 failed");
            assertThat(p.exitValue()).isZero();
        }
    }

    private static Path locateScripts() {
        for (Path candidate : List.of(Path.of("scripts"), Path.of("e2e", "scripts"))) {
            if (Files.isRegularFile(candidate.resolve("test-all.sh"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("e2e/scripts/test-all.sh not found from " + Path.of("").toAbsolutePath());
    }
}
