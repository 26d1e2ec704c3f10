package io.artsore.operator.standin;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a kubelet would start for one container of a pod, as {@code podman run} arguments: image, command and
 * args, environment (with {@code $(VAR)} expansion and the downward API names), user, security context,
 * memory and CPU limits, and the pod's volumes at their mount paths.
 */
final class PodmanRunArgs {
    private static final Pattern VAR_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private PodmanRunArgs() {
    }

    /**
     * @param volumeSources pod volume name → what podman mounts (a named volume or a host directory)
     * @param secretValue   the value of a secretKeyRef (namespace of the pod), or {@code null} when missing
     */
    static List<String> of(Pod pod, Container container, String containerName, String network, List<String> aliases,
                           Map<String, String> volumeSources, Function<EnvVarSource, String> secretValue,
                           List<String> labels) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", containerName,
                "--hostname", pod.getMetadata().getName(), "--network", network));
        for (String alias : aliases) {
            args.addAll(List.of("--network-alias", alias));
        }
        for (String label : labels) {
            args.addAll(List.of("--label", label));
        }
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        args.addAll(List.of("--stop-timeout", String.valueOf(grace != null ? grace : 30)));
        security(pod.getSpec().getSecurityContext(), container.getSecurityContext(), args);
        limits(container, args);
        for (Map.Entry<String, String> e : env(pod, container, secretValue).entrySet()) {
            args.addAll(List.of("-e", e.getKey() + "=" + e.getValue()));
        }
        for (VolumeMount mount : container.getVolumeMounts()) {
            String source = volumeSources.get(mount.getName());
            if (source == null) {
                throw new IllegalArgumentException("volume mount " + mount.getName() + " has no pod volume");
            }
            List<String> options = new ArrayList<>();
            if (Boolean.TRUE.equals(mount.getReadOnly())) {
                options.add("ro");
            }
            if (!source.startsWith("/")) {
                // a named volume: podman would copy the image's files at the mount path into it; a real one is empty
                options.add("nocopy");
            }
            args.addAll(List.of("-v", source + ":" + mount.getMountPath()
                    + (options.isEmpty() ? "" : ":" + String.join(",", options))));
        }
        List<String> command = container.getCommand();
        if (command != null && !command.isEmpty()) {
            args.addAll(List.of("--entrypoint", jsonArray(command)));
        }
        args.add(container.getImage());
        if (container.getArgs() != null) {
            args.addAll(container.getArgs());
        }
        return args;
    }

    /** The container's environment in declaration order, as the kubelet resolves it. */
    static Map<String, String> env(Pod pod, Container container, Function<EnvVarSource, String> secretValue) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            String value = var.getValueFrom() == null ? expand(Objects.toString(var.getValue(), ""), env)
                    : valueFrom(pod, var, secretValue);
            env.put(var.getName(), value);
        }
        return env;
    }

    private static String valueFrom(Pod pod, EnvVar var, Function<EnvVarSource, String> secretValue) {
        EnvVarSource source = var.getValueFrom();
        if (source.getFieldRef() != null) {
            return switch (source.getFieldRef().getFieldPath()) {
                case "metadata.name" -> pod.getMetadata().getName();
                case "metadata.namespace" -> pod.getMetadata().getNamespace();
                default -> throw new IllegalArgumentException("env " + var.getName() + ": fieldRef "
                        + source.getFieldRef().getFieldPath() + " is not supported by the stand-in");
            };
        }
        if (source.getSecretKeyRef() != null) {
            String value = secretValue.apply(source);
            if (value == null) {
                throw new IllegalStateException("env " + var.getName() + ": Secret "
                        + source.getSecretKeyRef().getName() + " key " + source.getSecretKeyRef().getKey()
                        + " not found (CreateContainerConfigError)");
            }
            return value;
        }
        throw new IllegalArgumentException("env " + var.getName() + ": this valueFrom is not supported by the stand-in");
    }

    /** {@code $(NAME)} of a variable declared earlier is replaced; an unknown reference stays as it is. */
    private static String expand(String value, Map<String, String> earlier) {
        Matcher m = VAR_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String known = earlier.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(known != null ? known : m.group()));
        }
        return m.appendTail(out).toString();
    }

    private static void security(PodSecurityContext pod, SecurityContext container, List<String> args) {
        PodSecurityContext p = pod != null ? pod : new PodSecurityContext();
        SecurityContext c = container != null ? container : new SecurityContext();
        Long user = c.getRunAsUser() != null ? c.getRunAsUser() : p.getRunAsUser();
        Long group = c.getRunAsGroup() != null ? c.getRunAsGroup() : p.getRunAsGroup();
        boolean nonRoot = Boolean.TRUE.equals(c.getRunAsNonRoot() != null ? c.getRunAsNonRoot() : p.getRunAsNonRoot());
        if (nonRoot && (user == null || user == 0)) {
            // the kubelet checks the image's user when none is given; the stand-in asks for an explicit one
            throw new IllegalArgumentException("runAsNonRoot needs a non-zero runAsUser (CreateContainerConfigError)");
        }
        if (user != null) {
            args.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
        }
        if (p.getFsGroup() != null) {
            args.addAll(List.of("--group-add", String.valueOf(p.getFsGroup())));
        }
        if (Boolean.TRUE.equals(c.getReadOnlyRootFilesystem())) {
            // Kubernetes mounts no tmpfs of its own on a read-only root; podman would add /tmp, /run and /var/tmp
            args.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        if (Boolean.FALSE.equals(c.getAllowPrivilegeEscalation())) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        Capabilities caps = c.getCapabilities();
        if (caps != null) {
            caps.getDrop().forEach(cap -> args.addAll(List.of("--cap-drop", cap)));
            caps.getAdd().forEach(cap -> args.addAll(List.of("--cap-add", cap)));
        }
    }

    private static void limits(Container container, List<String> args) {
        if (container.getResources() == null || container.getResources().getLimits() == null) {
            return;
        }
        Quantity memory = container.getResources().getLimits().get("memory");
        if (memory != null) {
            args.addAll(List.of("--memory", Quantity.getAmountInBytes(memory).toBigInteger() + "b"));
        }
        Quantity cpu = container.getResources().getLimits().get("cpu");
        if (cpu != null) {
            BigDecimal cores = Quantity.getAmountInBytes(cpu);
            args.addAll(List.of("--cpus", cores.stripTrailingZeros().toPlainString()));
        }
    }

    private static String jsonArray(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
