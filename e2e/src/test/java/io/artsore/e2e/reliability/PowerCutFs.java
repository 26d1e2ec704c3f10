package io.artsore.e2e.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The power-cut file system ({@code src/test/powercut/powercutfs.py}, its model is written there and in
 * docs/reliability.md) mounted at {@code mountPoint}: everything written there passes through to a backing
 * directory, and {@link #cut()} throws away whatever was not made durable by an fsync.
 *
 * <p>Needs root (or fusermount), {@code /dev/fuse} and Debian's {@code fuse3 python3-fusepy}; without them
 * {@link #mount} fails with what is missing: the power-cut tests must not pass by skipping. Only
 * {@code -Dse.powercut=off} skips them, on purpose.
 */
final class PowerCutFs implements AutoCloseable {
    static final Path SCRIPT = Path.of("src/test/powercut/powercutfs.py").toAbsolutePath();
    private static final String PYTHON = "/usr/bin/python3"; // the system one, where apt puts fusepy

    private final Path mountPoint;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(16);

    private PowerCutFs(Path mountPoint, Process process) {
        this.mountPoint = mountPoint;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("powercutfs-out").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    answers.offer(line);
                }
            } catch (IOException e) {
                answers.offer("error " + e);
            }
        });
    }

    /** True unless {@code -Dse.powercut=off}: the suite's only way to be skipped. */
    static boolean enabled() {
        return !"off".equals(System.getProperty("se.powercut"));
    }

    /** Mounts over {@code root/backing} at {@code root/mnt}; its stderr goes to {@code root/powercutfs.log}. */
    static PowerCutFs mount(Path root) throws IOException, InterruptedException {
        Path backing = Files.createDirectories(root.resolve("backing"));
        Path mnt = Files.createDirectories(root.resolve("mnt"));
        Path log = root.resolve("powercutfs.log");
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IllegalStateException("no /dev/fuse: the power-cut tests need FUSE (or -Dse.powercut=off)");
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new IllegalStateException(PYTHON + " missing: apt-get install fuse3 python3-fusepy");
        }
        Process p = new ProcessBuilder(PYTHON, SCRIPT.toString(), backing.toString(), mnt.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PowerCutFs fs = new PowerCutFs(mnt, p);
        String first = fs.answers.poll(30, TimeUnit.SECONDS);
        if (!"mounted".equals(first)) {
            p.destroyForcibly();
            throw new IllegalStateException("powercutfs did not mount (" + first + "); needs root, /dev/fuse and "
                    + "apt-get install fuse3 python3-fusepy:\n" + Files.readString(log));
        }
        return fs;
    }

    Path root() {
        return mountPoint;
    }

    /** Power cut: returns once only the durable state is visible; the answer says how many files and dirs. */
    String cut() throws IOException, InterruptedException {
        return command("cut");
    }

    /** Power cut that also keeps a 512-byte-aligned prefix of each file's last unsynced write. */
    String cutTearing() throws IOException, InterruptedException {
        return command("cut tear");
    }

    /** "stats fsyncs dirfsyncs": how many of each the file system has seen. */
    String stats() throws IOException, InterruptedException {
        return command("stats");
    }

    private synchronized String command(String line) throws IOException, InterruptedException {
        commands.write(line + "\n");
        commands.flush();
        String answer = answers.poll(2, TimeUnit.MINUTES);
        if (answer == null || !answer.startsWith(line.split(" ")[0])) {
            throw new IOException("powercutfs answered " + answer + " to " + line);
        }
        return answer;
    }

    /** Unmounts (lazily, so a straggler holding a file does not block) and waits for the process. */
    @Override
    public void close() throws IOException, InterruptedException {
        commands.close(); // end of stdin: the script unmounts and exits
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
