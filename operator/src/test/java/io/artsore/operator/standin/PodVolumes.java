package io.artsore.operator.standin;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A pod's volumes as podman sees them: a claim is a named podman volume (one per claim, so every pod naming
 * the same claim shares it), an emptyDir a named volume of the pod, a Secret or ConfigMap a host directory
 * with one file per key. The pod's fsGroup owns every volume (group-writable, setgid), as the kubelet does.
 * Named volumes are mounted without podman's copy-up ({@link PodmanRunArgs}), since a real volume starts empty
 * whatever the image holds at the mount path.
 */
final class PodVolumes {
    private final KubernetesClient client;
    private final Podman podman;
    private final Path filesDir;

    PodVolumes(KubernetesClient client, Podman podman, Path filesDir) {
        this.client = client;
        this.podman = podman;
        this.filesDir = filesDir;
    }

    /** Name of the podman volume behind a claim. */
    String claimVolume(String namespace, String claim) {
        return "standin-" + podman.runId() + "-" + namespace + "-" + claim;
    }

    String emptyDirVolume(Pod pod, String volume) {
        return "standin-" + podman.runId() + "-" + pod.getMetadata().getNamespace() + "-"
                + pod.getMetadata().getName() + "-" + volume;
    }

    /**
     * Pod volume name → podman {@code -v} source, or {@code null} while something the pod needs (a claim, a
     * Secret) does not exist yet: the pod then waits, as it would in ContainerCreating.
     */
    Map<String, String> prepare(Pod pod) throws IOException {
        String namespace = pod.getMetadata().getNamespace();
        Long fsGroup = pod.getSpec().getSecurityContext() != null ? pod.getSpec().getSecurityContext().getFsGroup() : null;
        Map<String, String> sources = new HashMap<>();
        for (Volume volume : pod.getSpec().getVolumes()) {
            String source;
            if (volume.getPersistentVolumeClaim() != null) {
                String claim = volume.getPersistentVolumeClaim().getClaimName();
                if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
                    return null;
                }
                source = namedVolume(claimVolume(namespace, claim), fsGroup);
            } else if (volume.getEmptyDir() != null) {
                source = namedVolume(emptyDirVolume(pod, volume.getName()), fsGroup);
            } else if (volume.getSecret() != null) {
                Secret secret = client.secrets().inNamespace(namespace).withName(volume.getSecret().getSecretName()).get();
                if (secret == null) {
                    return null;
                }
                Map<String, byte[]> data = new HashMap<>();
                Objects.requireNonNullElse(secret.getData(), Map.<String, String>of()).forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
                source = files(pod, volume.getName(), data, volume.getSecret().getItems(),
                        volume.getSecret().getDefaultMode(), fsGroup).toString();
            } else if (volume.getConfigMap() != null) {
                ConfigMap map = client.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
                if (map == null) {
                    return null;
                }
                Map<String, byte[]> data = new HashMap<>();
                Objects.requireNonNullElse(map.getData(), Map.<String, String>of()).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
                source = files(pod, volume.getName(), data, volume.getConfigMap().getItems(),
                        volume.getConfigMap().getDefaultMode(), fsGroup).toString();
            } else {
                throw new IllegalArgumentException("volume " + volume.getName() + ": this kind is not supported by the stand-in");
            }
            sources.put(volume.getName(), source);
        }
        return sources;
    }

    /** Removes what belongs to the pod alone (emptyDirs and key files); claims outlive it. */
    void release(Pod pod) throws IOException {
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (volume.getEmptyDir() != null) {
                podman.tryRun(List.of("volume", "rm", "-f", emptyDirVolume(pod, volume.getName())));
            }
        }
        Path dir = podDir(pod);
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private String namedVolume(String name, Long fsGroup) throws IOException {
        if (podman.tryRun(List.of("volume", "exists", name)).exitCode() != 0) {
            podman.run("volume", "create", "--label", podman.label(), name);
            if (fsGroup != null) {
                ownByGroup(Path.of(podman.run("volume", "inspect", "-f", "{{.Mountpoint}}", name)), fsGroup, 02770);
            }
        }
        return name;
    }

    private Path podDir(Pod pod) {
        return filesDir.resolve(pod.getMetadata().getNamespace()).resolve(pod.getMetadata().getName());
    }

    private Path files(Pod pod, String volume, Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode,
                       Long fsGroup) throws IOException {
        Path dir = Files.createDirectories(podDir(pod).resolve(volume));
        int mode = defaultMode != null ? defaultMode : 0644;
        Map<String, String> paths = new HashMap<>();
        if (items == null || items.isEmpty()) {
            data.keySet().forEach(k -> paths.put(k, k));
        } else {
            items.forEach(i -> paths.put(i.getKey(), i.getPath()));
        }
        for (Map.Entry<String, String> e : paths.entrySet()) {
            Path file = dir.resolve(e.getValue());
            Files.createDirectories(file.getParent());
            Files.write(file, data.getOrDefault(e.getKey(), new byte[0]));
            if (fsGroup != null) {
                ownByGroup(file, fsGroup, mode);
            } else {
                chmod(file, mode);
            }
        }
        if (fsGroup != null) {
            ownByGroup(dir, fsGroup, 0750);
        }
        return dir;
    }

    private static void ownByGroup(Path path, long group, int mode) throws IOException {
        GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(Long.toString(group));
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
        chmod(path, mode);
    }

    /** chmod(1): Files.setPosixFilePermissions cannot set setgid, which keeps new files in the fsGroup. */
    private static void chmod(Path path, int mode) throws IOException {
        try {
            Process p = new ProcessBuilder("chmod", Integer.toOctalString(mode), path.toString()).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("chmod " + Integer.toOctalString(mode) + " " + path + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
