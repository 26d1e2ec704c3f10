package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.PodOverrides;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/** The SE pod template shared by the Deployment (standalone) and the StatefulSet (replicated). */
public final class PodTemplateFactory {
    public static final String CONTAINER = "storage-element";
    public static final String PORT_NAME = "https";
    public static final long UID = 10001L;
    /** Seconds of the grace period beyond the preStop sleep and the element's shutdown timeout. */
    public static final long GRACE_MARGIN_SECONDS = 10L;

    private PodTemplateFactory() {
    }

    /**
     * @param dataVolume the /data volume (a claim reference); {@code null} when a volumeClaimTemplate provides it
     * @param walVolume  the /wal volume; {@code null} when a volumeClaimTemplate provides it
     */
    public static PodTemplateSpec build(StorageElement element, ElementMode initialMode, Volume dataVolume,
                                        Volume walVolume) {
        StorageElementSpec spec = element.getSpec();
        PodOverrides pod = spec.pod != null ? spec.pod : new PodOverrides();
        ElementNames names = ElementNames.of(element);

        List<Volume> volumes = new ArrayList<>();
        if (dataVolume != null) {
            volumes.add(dataVolume);
        }
        if (walVolume != null) {
            volumes.add(walVolume);
        }
        volumes.add(new VolumeBuilder().withName("certs").withNewSecret()
                .withSecretName(names.tlsSecret(spec.tls.secretName)).withDefaultMode(0440).endSecret().build());
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                mount("data", PodPaths.DATA, false),
                mount(ElementNames.WAL_TEMPLATE, PodPaths.WAL, false),
                mount("certs", PodPaths.CERTS, true),
                mount("tmp", PodPaths.TMP, false)));
        if (spec.auth.caBundleSecretRef != null) {
            volumes.add(new VolumeBuilder().withName("ca").withNewSecret()
                    .withSecretName(spec.auth.caBundleSecretRef.name).withDefaultMode(0440).endSecret().build());
            mounts.add(mount("ca", PodPaths.CA, true));
        }

        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(OperandImage.of(spec))
                .withImagePullPolicy(spec.imagePullPolicy)
                .addNewPort().withName(PORT_NAME).withContainerPort(spec.port).withProtocol("TCP").endPort()
                .withEnv(EnvMapping.forElement(element, initialMode))
                .withLifecycle(preStop(pod))
                .withVolumeMounts(mounts)
                .withResources(pod.resources != null ? pod.resources : defaultResources())
                .withStartupProbe(probe("/health/live", 10, pod.startupFailureThreshold))
                .withLivenessProbe(probe("/health/live", 30, 3))
                .withReadinessProbe(probe("/health/ready", 15, 3))
                .withSecurityContext(new SecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(UID)
                        .withRunAsGroup(UID)
                        .withReadOnlyRootFilesystem(true)
                        .withAllowPrivilegeEscalation(false)
                        .withNewCapabilities().withDrop("ALL").endCapabilities()
                        .build())
                .build();

        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(ElementLabels.all(element))
                    .withAnnotations(pod.annotations)
                .endMetadata()
                .withNewSpec()
                    .withContainers(container)
                    .withVolumes(volumes)
                    .withTerminationGracePeriodSeconds(terminationGracePeriodSeconds(pod))
                    .withServiceAccountName(pod.serviceAccountName)
                    .withPriorityClassName(pod.priorityClassName)
                    .withNodeSelector(pod.nodeSelector)
                    .withTolerations(pod.tolerations)
                    .withAffinity(DisruptionFactory.affinity(element))
                    .withTopologySpreadConstraints(DisruptionFactory.spread(element))
                    .withImagePullSecrets(pod.imagePullSecrets)
                    .withEnableServiceLinks(false)
                    .withSecurityContext(new PodSecurityContextBuilder()
                            .withRunAsNonRoot(true)
                            .withRunAsUser(UID)
                            .withRunAsGroup(UID)
                            .withFsGroup(UID)
                            .withFsGroupChangePolicy("OnRootMismatch")
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .build())
                .endSpec()
                .build();
    }

    public static Volume claimVolume(String volumeName, String claimName) {
        return new VolumeBuilder().withName(volumeName).withNewPersistentVolumeClaim()
                .withClaimName(claimName).endPersistentVolumeClaim().build();
    }

    /** SE_SHUTDOWN_TIMEOUT; one spec field drives the element's drain and the pod's grace period. */
    static int shutdownTimeoutSeconds(PodOverrides pod) {
        return pod.shutdownTimeoutSeconds != null ? pod.shutdownTimeoutSeconds : 30;
    }

    static int preStopSleepSeconds(PodOverrides pod) {
        return pod.preStopSleepSeconds != null ? pod.preStopSleepSeconds : 5;
    }

    /** preStop sleep + the element's shutdown timeout + a margin: Kubernetes never kills a draining element. */
    static long terminationGracePeriodSeconds(PodOverrides pod) {
        return shutdownTimeoutSeconds(pod) + preStopSleepSeconds(pod) + GRACE_MARGIN_SECONDS;
    }

    /** Sleeps before SIGTERM so endpoint removal reaches kube-proxy and gateways while the element still serves. */
    private static Lifecycle preStop(PodOverrides pod) {
        int seconds = preStopSleepSeconds(pod);
        if (seconds <= 0) {
            return null;
        }
        return new LifecycleBuilder().withNewPreStop().withNewExec()
                .withCommand("sleep", Integer.toString(seconds)).endExec().endPreStop().build();
    }

    static ResourceRequirements defaultResources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("512Mi"))
                .addToLimits("memory", new Quantity("1Gi"))
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(PORT_NAME)).withScheme("HTTPS").endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build();
    }
}
