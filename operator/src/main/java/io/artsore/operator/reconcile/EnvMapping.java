package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the spec to the SE's environment (docs/contract.md §12). {@code SE_MODE} is the <em>initial</em> mode: it is
 * fixed when the workload is first created, so later changes of {@code spec.mode} (carried out through the
 * SE API) never change the pod template and never restart pods.
 */
public final class EnvMapping {
    private EnvMapping() {
    }

    public static List<EnvVar> forElement(StorageElement element, ElementMode initialMode) {
        StorageElementSpec spec = element.getSpec();
        ElementNames names = ElementNames.of(element);
        List<EnvVar> env = new ArrayList<>();
        boolean replicated = spec.replicaMode == ReplicaMode.REPLICATED;
        if (replicated) {
            // Declared first: later values reference it with $(POD_NAME).
            env.add(new EnvVarBuilder().withName("POD_NAME")
                    .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
                    .build());
        }
        add(env, "SE_PORT", spec.port);
        add(env, "SE_STORAGE_ID", spec.storageId);
        add(env, "SE_DATA_DIR", PodPaths.DATA);
        add(env, "SE_WAL_DIR", PodPaths.WAL);
        add(env, "SE_MODE", initialMode.wire());
        add(env, "SE_MAX_FILE_SIZE", spec.maxFileSize);
        add(env, "SE_MAX_CAPACITY", maxCapacity(spec));
        add(env, "SE_GC_INTERVAL", spec.gcInterval);
        add(env, "SE_RECONCILE_INTERVAL", spec.reconcileInterval);
        add(env, "SE_JWKS_URL", spec.auth.jwksUrl);
        add(env, "SE_TLS_CERT", PodPaths.TLS_CERT);
        add(env, "SE_TLS_KEY", PodPaths.TLS_KEY);
        if (spec.auth.caBundleSecretRef != null) {
            add(env, "SE_CA_CERT_PATH", PodPaths.CA + "/" + spec.auth.caBundleSecretRef.key);
        }
        add(env, "SE_LOG_LEVEL", spec.logLevel);
        add(env, "SE_LOG_FORMAT", spec.logFormat);
        add(env, "SE_REPLICA_MODE", spec.replicaMode.wire());
        add(env, "SE_INDEX_REFRESH_INTERVAL", spec.indexRefreshInterval);
        add(env, "SE_DEPHEALTH_CHECK_INTERVAL", spec.dephealthCheckInterval);
        add(env, "SE_SHUTDOWN_TIMEOUT", PodTemplateFactory.shutdownTimeoutSeconds(
                spec.pod != null ? spec.pod : new io.artsore.operator.crd.PodOverrides()) + "s");
        if (replicated) {
            add(env, "SE_ADVERTISED_ADDRESS", "$(POD_NAME)." + names.serviceFqdn(names.headlessService())
                    + ":" + spec.port);
        }
        return env;
    }

    /** SE_MAX_CAPACITY: explicit, or the size of the data claim. */
    static long maxCapacity(StorageElementSpec spec) {
        if (spec.maxCapacity != null) {
            return spec.maxCapacity;
        }
        return Quantity.getAmountInBytes(new Quantity(spec.storage.dataSize)).longValueExact();
    }

    private static void add(List<EnvVar> env, String name, Object value) {
        env.add(new EnvVarBuilder().withName(name).withValue(String.valueOf(value)).build());
    }
}
