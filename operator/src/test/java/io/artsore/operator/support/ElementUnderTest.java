package io.artsore.operator.support;

import java.net.URI;

/**
 * An element the operator talks to in tests. {@link FakeStorageElement} implements it in-process; a variant
 * that starts a real SE process can implement the same interface and run the same mode tests.
 */
public interface ElementUnderTest extends AutoCloseable {
    URI baseUri();

    /** Mode the element is in now, as it would report on /api/v1/info. */
    String mode();

    /** POST /api/v1/mode/transition requests received so far (accepted or refused). */
    int transitionCalls();

    @Override
    void close();
}
