package io.artsore.operator.standin;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.List;

/**
 * One pod's container and what the kubelet tracks for it: probe results and counters, restarts with back-off,
 * and the status it reports. Times are measured with the monotonic clock of this process.
 */
final class RunningPod {
    private static final long SECOND = 1_000_000_000L;
    private static final System.Logger LOG = System.getLogger(RunningPod.class.getName());

    final Pod pod;
    final Container container;
    final String namespace;
    final String name;
    final String ownerKind;
    final String ownerName;
    final String templateHash;
    final String containerName;
    String containerId;
    PodStatus writtenStatus;

    boolean ready;
    private String ip;
    private String startedAt;
    private boolean running;
    private boolean started;
    private int restartCount;
    private Integer lastExitCode;
    private long restartNotBefore;
    /** Set when the container exited and the pod's restartPolicy keeps it down: the exit code. */
    private Integer terminatedExitCode;
    private long containerStartNanos = System.nanoTime();
    private final ProbeState startup = new ProbeState();
    private final ProbeState liveness = new ProbeState();
    private final ProbeState readiness = new ProbeState();

    RunningPod(Pod pod, Container container, String ownerKind, String ownerName, String templateHash,
               String containerName, String containerId) {
        this.pod = pod;
        this.container = container;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.ownerKind = ownerKind;
        this.ownerName = ownerName;
        this.templateHash = templateHash;
        this.containerName = containerName;
        this.containerId = containerId;
    }

    String key() {
        return namespace + "/" + name;
    }

    ServiceDns.PodAddress address() {
        return new ServiceDns.PodAddress(namespace, name, pod.getMetadata().getLabels(), pod.getSpec().getSubdomain(),
                ip, ready);
    }

    /** One kubelet pass: container state, restart after a crash (with back-off), due probes. */
    void observe(Podman podman, ProbeRunner probes) {
        String[] state = podman.tryRun(List.of("inspect", "-f",
                "{{.State.Running}}|{{.State.ExitCode}}|{{.State.StartedAt}}|"
                        + "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", containerId))
                .output().split("\\|", -1);
        if (state.length < 4) {
            running = false;
            return;
        }
        boolean nowRunning = Boolean.parseBoolean(state[0]);
        long now = System.nanoTime();
        if (running && !nowRunning) {
            lastExitCode = Integer.valueOf(state[1]);
            // CrashLoopBackOff: 10 s, doubling, at most 5 minutes
            restartNotBefore = now + Math.min(300, 10L << Math.min(restartCount, 5)) * SECOND;
            LOG.log(System.Logger.Level.INFO, key() + ": container exited with " + lastExitCode);
        }
        running = nowRunning;
        if (!running) {
            ready = false;
            if (terminatedExitCode != null) {
                return;
            }
            int exitCode = Integer.parseInt(state[1]);
            if (!restartsAfter(exitCode)) {
                terminatedExitCode = exitCode;
                LOG.log(System.Logger.Level.INFO, key() + ": container terminated with " + exitCode);
                return;
            }
            if (lastExitCode == null) {
                lastExitCode = Integer.valueOf(state[1]);
                restartNotBefore = now;
            }
            if (now >= restartNotBefore) {
                restart(podman, "start", now);
            }
            return;
        }
        ip = state[3].isBlank() ? ip : state[3];
        startedAt = state[2];
        probe(podman, probes, now);
    }

    /** restartPolicy: Always (the default, and the only one a Deployment or StatefulSet allows), OnFailure, Never. */
    private boolean restartsAfter(int exitCode) {
        String policy = pod.getSpec().getRestartPolicy();
        return policy == null || "Always".equals(policy) || ("OnFailure".equals(policy) && exitCode != 0);
    }

    /** The container ended for good (a Job's pod): true for exit code 0, false otherwise, null while it may run. */
    Boolean succeeded() {
        return terminatedExitCode == null ? null : terminatedExitCode == 0;
    }

    private void probe(Podman podman, ProbeRunner probes, long now) {
        Probe startupProbe = container.getStartupProbe();
        if (!started) {
            if (startupProbe == null) {
                started = true;
            } else if (startup.due(startupProbe, containerStartNanos, now)) {
                if (startup.record(probes.passes(startupProbe, container, ip, containerId), now)) {
                    started = true;
                } else if (startup.failures >= threshold(startupProbe)) {
                    restart(podman, "restart", now);
                }
                return;
            } else {
                return;
            }
        }
        Probe live = container.getLivenessProbe();
        if (live != null && liveness.due(live, containerStartNanos, now)) {
            liveness.record(probes.passes(live, container, ip, containerId), now);
            if (liveness.failures >= threshold(live)) {
                LOG.log(System.Logger.Level.INFO, key() + ": liveness failed " + liveness.failures + " times, restarting");
                restart(podman, "restart", now);
                return;
            }
        }
        Probe ready = container.getReadinessProbe();
        if (ready == null) {
            this.ready = true;
        } else if (readiness.due(ready, containerStartNanos, now)) {
            boolean passed = probes.passes(ready, container, ip, containerId);
            readiness.record(passed, now);
            if (passed && readiness.successes >= successThreshold(ready)) {
                this.ready = true;
            } else if (!passed && readiness.failures >= threshold(ready)) {
                this.ready = false;
            }
        }
    }

    private void restart(Podman podman, String verb, long now) {
        podman.tryRun(List.of(verb, containerId));
        restartCount++;
        containerStartNanos = now;
        started = false;
        ready = false;
        startup.reset();
        liveness.reset();
        readiness.reset();
    }

    /**
     * preStop hook, then SIGTERM with what is left of the grace period, then the container goes.
     *
     * @return why the preStop hook failed (the kubelet's FailedPreStopHook event), or null
     */
    String stop(Podman podman) {
        String hookFailure = null;
        long grace = pod.getSpec().getTerminationGracePeriodSeconds() != null
                ? pod.getSpec().getTerminationGracePeriodSeconds() : 30;
        long start = System.nanoTime();
        if (running && container.getLifecycle() != null && container.getLifecycle().getPreStop() != null
                && container.getLifecycle().getPreStop().getExec() != null) {
            List<String> args = new ArrayList<>(List.of("exec", containerId));
            args.addAll(container.getLifecycle().getPreStop().getExec().getCommand());
            Podman.Result hook = podman.tryRun(args);
            if (hook.exitCode() != 0) {
                hookFailure = key() + ": preStop " + container.getLifecycle().getPreStop().getExec().getCommand()
                        + " exited with " + hook.exitCode() + ": " + hook.output();
            }
        }
        long left = Math.max(1, grace - (System.nanoTime() - start) / SECOND);
        podman.tryRun(List.of("stop", "-t", String.valueOf(left), containerId));
        podman.tryRun(List.of("rm", "-f", containerId));
        return hookFailure;
    }

    PodStatus status() {
        String readyStatus = ready ? "True" : "False";
        ContainerStatusBuilder cs = new ContainerStatusBuilder().withName(container.getName())
                .withImage(container.getImage()).withContainerID("podman://" + containerId)
                .withReady(ready).withStarted(started && running).withRestartCount(restartCount);
        if (terminatedExitCode != null) {
            cs.withNewState().withNewTerminated().withExitCode(terminatedExitCode)
                    .withReason(terminatedExitCode == 0 ? "Completed" : "Error").endTerminated().endState();
        } else if (running) {
            cs.withNewState().withNewRunning().withStartedAt(startedAt).endRunning().endState();
        } else {
            cs.withNewState().withNewWaiting().withReason(restartCount > 0 ? "CrashLoopBackOff" : "ContainerCreating")
                    .endWaiting().endState();
        }
        if (lastExitCode != null) {
            cs.withNewLastState().withNewTerminated().withExitCode(lastExitCode).withReason("Error")
                    .endTerminated().endLastState();
        }
        String phase = terminatedExitCode != null ? (terminatedExitCode == 0 ? "Succeeded" : "Failed")
                : running || restartCount > 0 ? "Running" : "Pending";
        return new PodStatusBuilder().withPhase(phase)
                .withPodIP(ip)
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(readyStatus).endCondition()
                .addNewCondition().withType("Ready").withStatus(readyStatus).endCondition()
                .withContainerStatuses(cs.build())
                .build();
    }

    private static int threshold(Probe probe) {
        return probe.getFailureThreshold() != null ? probe.getFailureThreshold() : 3;
    }

    private static int successThreshold(Probe probe) {
        return probe.getSuccessThreshold() != null ? probe.getSuccessThreshold() : 1;
    }

    /** When a probe last ran and its consecutive results. */
    private static final class ProbeState {
        private long lastRun = Long.MIN_VALUE;
        private int failures;
        private int successes;

        boolean due(Probe probe, long containerStart, long now) {
            int delay = probe.getInitialDelaySeconds() != null ? probe.getInitialDelaySeconds() : 0;
            int period = probe.getPeriodSeconds() != null ? probe.getPeriodSeconds() : 10;
            if (now - containerStart < delay * SECOND) {
                return false;
            }
            return lastRun == Long.MIN_VALUE || now - lastRun >= period * SECOND;
        }

        /** Records a result; true when it passed. */
        boolean record(boolean passed, long now) {
            lastRun = now;
            failures = passed ? 0 : failures + 1;
            successes = passed ? successes + 1 : 0;
            return passed;
        }

        void reset() {
            lastRun = Long.MIN_VALUE;
            failures = 0;
            successes = 0;
        }
    }
}
