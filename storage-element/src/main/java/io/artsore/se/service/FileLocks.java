package io.artsore.se.service;

import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/** Lock striping by file id: writes to one file are serialised, writes to different files rarely contend. */
final class FileLocks {
    private final ReentrantLock[] stripes;

    FileLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock forFile(UUID id) {
        return stripes[Math.floorMod(id.hashCode(), stripes.length)];
    }
}
