package io.artsore.operator.reconcile;

import io.artsore.operator.crd.IssuerRef;
import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementSpec;
import io.fabric8.certmanager.api.model.meta.v1.ObjectReferenceBuilder;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** cert-manager Certificate for every name a client or a peer uses to reach the element. */
public final class CertificateFactory {
    private CertificateFactory() {
    }

    public static Certificate build(StorageElement element) {
        StorageElementSpec spec = element.getSpec();
        ElementNames names = ElementNames.of(element);
        IssuerRef issuer = spec.tls.issuerRef;
        return new CertificateBuilder()
                .withMetadata(Ownership.owned(element, names.certificate()))
                .withNewSpec()
                    .withSecretName(names.tlsSecret(spec.tls.secretName))
                    .withDnsNames(dnsNames(element))
                    .withIssuerRef(new ObjectReferenceBuilder()
                            .withName(issuer.name).withKind(issuer.kind).withGroup(issuer.group).build())
                    // PKCS#8 RSA: what the JDK's PEM key loading reads without extra providers.
                    .withNewPrivateKey().withAlgorithm("RSA").withSize(2048).withEncoding("PKCS8")
                        .withRotationPolicy("Always").endPrivateKey()
                    .withUsages("server auth", "client auth", "digital signature", "key encipherment")
                .endSpec()
                .build();
    }

    static List<String> dnsNames(StorageElement element) {
        StorageElementSpec spec = element.getSpec();
        ElementNames names = ElementNames.of(element);
        Set<String> dns = new LinkedHashSet<>(serviceNames(names.service(), names.namespace()));
        if (spec.replicaMode == ReplicaMode.REPLICATED) {
            String headless = names.headlessService();
            dns.addAll(serviceNames(headless, names.namespace()));
            dns.add("*." + names.serviceFqdn(headless));
            dns.add("*." + headless + "." + names.namespace() + ".svc");
        }
        if (spec.httpRoute != null) {
            dns.add(spec.httpRoute.hostname);
        }
        if (spec.tls.extraDnsNames != null) {
            dns.addAll(spec.tls.extraDnsNames);
        }
        return new ArrayList<>(dns);
    }

    private static List<String> serviceNames(String service, String namespace) {
        return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
                service + "." + namespace + ".svc.cluster.local");
    }
}
