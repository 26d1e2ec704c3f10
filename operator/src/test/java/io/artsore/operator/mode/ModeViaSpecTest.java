package io.artsore.operator.mode;

import io.artsore.operator.support.ElementUnderTest;
import io.artsore.operator.support.FakeStorageElement;

/** The mode contract against the in-process fake element (fast; the e2e module runs it against a real one). */
class ModeViaSpecTest extends ModeViaSpecContract {
    private static final String TOKEN = "storage-write-token";

    @Override
    protected ElementUnderTest startElement(String name, String mode) throws Exception {
        return new FakeStorageElement(name, mode, TOKEN);
    }

    @Override
    protected String storageWriteToken() {
        return TOKEN;
    }
}
