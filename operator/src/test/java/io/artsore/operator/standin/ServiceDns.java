package io.artsore.operator.standin;

import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster DNS the stand-in fakes. Inside the pod network, podman's DNS answers the names given as network
 * aliases when a container starts (Service names of every Service selecting the pod, ready or not, and a
 * StatefulSet pod's own name under its headless Service). For the host (the operator and the flows), a hosts
 * file read by the JDK ({@code -Djdk.net.hosts.file}) maps each Service name to its ready pods only, as kube-proxy
 * and CoreDNS would, and a headless Service's pod names to their pods.
 */
final class ServiceDns {
    private final Path hostsFile;

    ServiceDns(Path hostsFile) {
        this.hostsFile = hostsFile;
    }

    /** What the stand-in knows of a running pod. */
    record PodAddress(String namespace, String name, Map<String, String> labels, String subdomain, String ip,
                      boolean ready) {
    }

    /** The names of a Service, as cluster DNS resolves them from any namespace. */
    static List<String> serviceNames(String service, String namespace) {
        return List.of(service + "." + namespace + ".svc", service + "." + namespace + ".svc.cluster.local");
    }

    /** The network aliases of a pod's container: its headless name and the Services that select it. */
    static List<String> aliases(PodAddress pod, List<Service> services) {
        List<String> aliases = new ArrayList<>();
        if (pod.subdomain() != null) {
            aliases.addAll(serviceNames(pod.name() + "." + pod.subdomain(), pod.namespace()));
        }
        for (Service service : services) {
            if (selects(service, pod)) {
                aliases.addAll(serviceNames(service.getMetadata().getName(), pod.namespace()));
            }
        }
        return aliases;
    }

    /** Hosts-file lines: each Service name to its ready pods, each headless pod name to its pod. */
    static List<String> hostsLines(List<Service> services, List<PodAddress> pods) {
        List<String> lines = new ArrayList<>(List.of("127.0.0.1 localhost"));
        for (Service service : services) {
            String name = service.getMetadata().getName();
            boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
            for (PodAddress pod : pods) {
                if (pod.ip() == null || !selects(service, pod) || !(pod.ready() || publishNotReady)) {
                    continue;
                }
                serviceNames(name, pod.namespace()).forEach(n -> lines.add(pod.ip() + " " + n));
                if (name.equals(pod.subdomain())) {
                    serviceNames(pod.name() + "." + name, pod.namespace()).forEach(n -> lines.add(pod.ip() + " " + n));
                }
            }
        }
        return lines;
    }

    void write(List<Service> services, List<PodAddress> pods) throws IOException {
        Path next = hostsFile.resolveSibling(hostsFile.getFileName() + ".next");
        Files.write(next, hostsLines(services, pods));
        Files.move(next, hostsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean selects(Service service, PodAddress pod) {
        Map<String, String> selector = service.getSpec().getSelector();
        return service.getMetadata().getNamespace().equals(pod.namespace()) && selector != null && !selector.isEmpty()
                && pod.labels().entrySet().containsAll(selector.entrySet());
    }
}
