package io.artsore.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The StorageElement custom resource: one Storage Element (standalone or a replicated set). */
@Group(StorageElement.GROUP)
@Version(StorageElement.VERSION)
@Plural("storageelements")
@ShortNames("se")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".status.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replica mode", jsonPath = ".spec.replicaMode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class StorageElement extends CustomResource<StorageElementSpec, StorageElementStatus> implements Namespaced {
    public static final String GROUP = "artsore.io";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "storageelements." + GROUP;
}
