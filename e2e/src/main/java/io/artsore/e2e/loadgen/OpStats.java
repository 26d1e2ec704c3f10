package io.artsore.e2e.loadgen;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one operation type: successful ops with their latency and payload bytes, and errors. */
public final class OpStats {

    private final LatencyHistogram latency = new LatencyHistogram();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder errors = new LongAdder();

    void success(long micros, long payloadBytes) {
        latency.recordMicros(micros);
        bytes.add(payloadBytes);
    }

    void error() {
        errors.increment();
    }

    public long ops() {
        return latency.count();
    }

    public long errors() {
        return errors.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public LatencyHistogram latency() {
        return latency;
    }
}
