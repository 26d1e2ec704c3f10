package io.artsore.operator.mode;

import io.artsore.operator.crd.StorageElement;
import java.net.http.HttpClient;

/** The HTTP client for calls to one element: it must trust the CA that signed that element's certificate. */
@FunctionalInterface
public interface ElementConnections {
    HttpClient forElement(StorageElement element);

    /** One client for every element (tests, and elements whose CA the JDK or OPERATOR_CA_CERT_PATH holds). */
    static ElementConnections fixed(HttpClient http) {
        return element -> http;
    }
}
