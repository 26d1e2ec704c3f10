package io.artsore.se.storage.index;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The few strings that repeat across millions of entries (content types, uploaders) written once per checkpoint
 * and then referred to by number; reading shares them through the index's {@link Interner}. One instance per
 * checkpoint written or read.
 */
final class SharedStrings {
    private static final int NULL = -2;
    private static final int INLINE = -1;

    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private final Interner interner;

    SharedStrings(Interner interner) {
        this.interner = interner;
    }

    void write(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(NULL);
            return;
        }
        Integer n = numbers.get(s);
        if (n != null) {
            out.writeInt(n);
            return;
        }
        out.writeInt(INLINE);
        out.writeUTF(s);
        numbers.put(s, numbers.size());
    }

    String read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n == NULL) {
            return null;
        }
        if (n == INLINE) {
            String s = interner.intern(in.readUTF());
            strings.add(s);
            return s;
        }
        if (n < 0 || n >= strings.size()) {
            throw new IOException("bad string reference " + n + " in an index entry");
        }
        return strings.get(n);
    }
}
