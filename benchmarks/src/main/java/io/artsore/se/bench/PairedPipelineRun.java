package io.artsore.se.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Before/after of the upload pipeline on a noisy machine: runs the serial baseline and ContentWriter variants of
 * {@link HashingPipelineBenchmark} in interleaved rounds (the order rotates each round), so that load drifting
 * over time hits every variant alike, and prints each variant's median MB/s and its median ratio to the serial
 * baseline of the same round. Usage: {@code PairedPipelineRun [contentMiB=256] [rounds=7] [variant...]}, a
 * variant being {@code BUFFERSxKIB/WRITEBACKMIB} (e.g. {@code 4x128/8}; write-back 0 = none); the serial
 * baseline always runs first.
 */
public final class PairedPipelineRun {
    private interface Variant {
        void run(HashingPipelineBenchmark b) throws Exception;
    }

    private record Named(String name, int buffers, int bufferKiB, int writeBackMiB, Variant variant) {
        static Named parse(String spec) {
            String[] p = spec.split("[x/]");
            return new Named("overlapped " + spec, Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                    Integer.parseInt(p[2]), HashingPipelineBenchmark::contentWriterWithFsync);
        }
    }

    private PairedPipelineRun() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        HashingPipelineBenchmark b = new HashingPipelineBenchmark();
        b.contentBytes = mib << 20;
        b.chunkBytes = 64 * 1024;
        b.setUp();
        List<String> specs = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("4x128/0", "4x128/8");
        List<Named> variants = new ArrayList<>();
        variants.add(new Named("serial 64 KiB (before)", 0, 0, 0, HashingPipelineBenchmark::serialWithFsync));
        specs.forEach(spec -> variants.add(Named.parse(spec)));
        double[][] seconds = new double[variants.size()][rounds];
        try {
            for (Named v : variants) { // warm-up
                time(b, v);
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < variants.size(); k++) {
                    int i = (k + r) % variants.size();
                    seconds[i][r] = time(b, variants.get(i));
                }
            }
        } finally {
            b.tearDown();
        }
        for (int i = 0; i < variants.size(); i++) {
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                ratios.add(seconds[0][r] / seconds[i][r]);
            }
            System.out.printf(Locale.ROOT, "%-40s median %7.1f MB/s   median speed-up vs serial %.2f   (MB/s: %s)%n",
                    variants.get(i).name(), mbps(b.contentBytes, median(seconds[i])),
                    median(ratios.stream().mapToDouble(Double::doubleValue).toArray()),
                    Arrays.stream(seconds[i]).mapToObj(s -> String.format(Locale.ROOT, "%.0f", mbps(b.contentBytes, s)))
                            .toList());
        }
    }

    private static double time(HashingPipelineBenchmark b, Named v) throws Exception {
        b.buffers = v.buffers();
        b.bufferKiB = v.bufferKiB();
        b.writeBackMiB = v.writeBackMiB();
        long start = System.nanoTime();
        v.variant().run(b);
        return (System.nanoTime() - start) / 1e9;
    }

    private static double mbps(long bytes, double seconds) {
        return bytes / seconds / 1e6;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
