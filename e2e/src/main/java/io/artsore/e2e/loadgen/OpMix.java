package io.artsore.e2e.loadgen;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Weighted choice of operation types: {@code upload=1,download=3}; a single workload is weight 1 of one type. */
public final class OpMix {

    private final Map<OpType, Integer> weights;
    private final OpType[] types;
    private final int[] cumulative;

    private OpMix(Map<OpType, Integer> weights) {
        this.weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        this.types = weights.keySet().toArray(OpType[]::new);
        this.cumulative = new int[types.length];
        int sum = 0;
        for (int i = 0; i < types.length; i++) {
            sum += weights.get(types[i]);
            cumulative[i] = sum;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("the mix has no operation with a positive weight");
        }
    }

    public static OpMix only(OpType type) {
        return new OpMix(Map.of(type, 1));
    }

    /** Parses {@code upload=20,download=60,metadata=20}; zero weights are dropped. */
    public static OpMix parse(String text) {
        Map<OpType, Integer> weights = new EnumMap<>(OpType.class);
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad mix entry '" + part + "', expected op=weight");
            }
            int weight;
            try {
                weight = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad weight in '" + part + "'", e);
            }
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight in '" + part + "'");
            }
            if (weight > 0) {
                weights.merge(OpType.parse(kv[0]), weight, Integer::sum);
            }
        }
        return new OpMix(weights);
    }

    public OpType pick(RandomGenerator random) {
        if (types.length == 1) {
            return types[0];
        }
        int r = random.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return types[i];
            }
        }
        throw new IllegalStateException("unreachable: r < total weight");
    }

    public Map<OpType, Integer> weights() {
        return weights;
    }

    public boolean needsFiles() {
        return weights.keySet().stream().anyMatch(OpType::needsFiles);
    }
}
