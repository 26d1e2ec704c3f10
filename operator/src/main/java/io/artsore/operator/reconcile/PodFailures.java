package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pods whose containers cannot run: the kubelet's waiting reasons that do not heal by waiting (a crash loop, an
 * image that cannot be pulled, a container that cannot be created). Reported as Ready=False, reason PodsFailing,
 * which the Argo CD health check shows as Degraded (plain "not ready yet" stays Progressing).
 */
final class PodFailures {
    static final Set<String> FAILING = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private PodFailures() {
    }

    /** @return "pod: reason (message)" for each failing container, joined; null when none fails */
    static String describe(List<Pod> pods) {
        List<String> failures = new ArrayList<>();
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            if (pod.getStatus() == null) {
                continue;
            }
            Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()),
                            statuses(pod.getStatus().getContainerStatuses()))
                    .filter(c -> c.getState() != null && c.getState().getWaiting() != null
                            && FAILING.contains(c.getState().getWaiting().getReason()))
                    .findFirst()
                    .ifPresent(c -> {
                        String message = c.getState().getWaiting().getMessage();
                        failures.add(pod.getMetadata().getName() + ": " + c.getState().getWaiting().getReason()
                                + (message == null || message.isBlank() ? "" : " (" + message + ")")
                                + (c.getRestartCount() != null && c.getRestartCount() > 0
                                        ? ", " + c.getRestartCount() + " restarts" : ""));
                    });
        }
        return failures.isEmpty() ? null : String.join("; ", failures);
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
        return statuses == null ? Stream.empty() : statuses.stream();
    }
}
