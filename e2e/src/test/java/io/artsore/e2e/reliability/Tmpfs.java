package io.artsore.e2e.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Mounts a size-limited tmpfs (needs root) so tests see a really full disk, not a simulated one. */
final class Tmpfs {
    private Tmpfs() {
    }

    /** True when mounted; false when this machine does not let us mount (not root, no CAP_SYS_ADMIN). */
    static boolean mount(Path dir, String size) throws IOException, InterruptedException {
        return run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        if (!run("umount", dir.toString())) {
            run("umount", "-l", dir.toString()); // still busy: detach now, freed when the last user goes
        }
    }

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
