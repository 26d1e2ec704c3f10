package io.artsore.se.storage.index;

import java.util.Arrays;

/**
 * Counted B+-tree of entries in list order ({@link CompactEntry#compare}). Inner nodes keep the size of each
 * child's subtree, so the entry at any rank is found in O(log n) and a page of {@code limit} entries is read
 * in O(log n + limit) by walking the linked leaves. Not thread-safe: the owner locks.
 *
 * <p>Nodes hold between {@link #MIN} and {@link #MAX} keys or children. Appends at the right edge, the usual
 * case since new files are the newest, split a full node unevenly (all but the new key stay left) so that
 * nodes stay full instead of half full; hence the rightmost node of each level (and the root) may hold fewer.
 */
final class OrderTree {
    static final int MAX = 64;
    static final int MIN = MAX / 2;

    private abstract static sealed class Node permits Leaf, Inner {
        /** Keys in a leaf, children in an inner node. */
        int n;
    }

    private static final class Leaf extends Node {
        final CompactEntry[] keys = new CompactEntry[MAX + 1];
        Leaf next;
    }

    private static final class Inner extends Node {
        final Node[] kids = new Node[MAX + 1];
        final int[] counts = new int[MAX + 1];
        /** seps[i], i >= 1: every key of kids[i] is >= seps[i], every key of kids[i-1] is below it. */
        final CompactEntry[] seps = new CompactEntry[MAX + 1];
    }

    private Node root = new Leaf();
    private int size;
    /** Separator of the node returned by the last split (single writer, so a field instead of a pair). */
    private CompactEntry splitSeparator;

    int size() {
        return size;
    }

    /** Inserts an entry whose order key is not in the tree yet. */
    void insert(CompactEntry e) {
        Node right = insert(root, e, true);
        if (right != null) {
            Inner top = new Inner();
            top.kids[0] = root;
            top.counts[0] = sizeOf(root);
            top.kids[1] = right;
            top.counts[1] = sizeOf(right);
            top.seps[1] = splitSeparator;
            top.n = 2;
            root = top;
        }
        size++;
    }

    /** Removes the entry with the order key of {@code e}; false when there is none. */
    boolean remove(CompactEntry e) {
        if (!remove(root, e)) {
            return false;
        }
        size--;
        while (root instanceof Inner in && in.n == 1) {
            root = in.kids[0];
        }
        return true;
    }

    /** Swaps in {@code e} for the entry with the same order key; false when there is none. */
    boolean replace(CompactEntry e) {
        Node node = root;
        while (node instanceof Inner in) {
            node = in.kids[route(in, e)];
        }
        Leaf leaf = (Leaf) node;
        int pos = search(leaf, e);
        if (pos < 0) {
            return false;
        }
        leaf.keys[pos] = e;
        return true;
    }

    /** Copies the entries of ranks {@code [offset, offset + out.length)} into {@code out}; returns how many. */
    int copyRange(long offset, CompactEntry[] out) {
        if (offset < 0 || offset >= size) {
            return 0;
        }
        Node node = root;
        int rank = (int) offset;
        while (node instanceof Inner in) {
            int i = 0;
            while (rank >= in.counts[i]) {
                rank -= in.counts[i++];
            }
            node = in.kids[i];
        }
        Leaf leaf = (Leaf) node;
        int copied = 0;
        int pos = rank;
        while (leaf != null && copied < out.length) {
            int n = Math.min(leaf.n - pos, out.length - copied);
            System.arraycopy(leaf.keys, pos, out, copied, n);
            copied += n;
            leaf = leaf.next;
            pos = 0;
        }
        return copied;
    }

    /** All entries in order. */
    CompactEntry[] toArray() {
        CompactEntry[] out = new CompactEntry[size];
        copyRange(0, out);
        return out;
    }

    /** Builds a tree from entries already in list order with distinct keys, in O(n). */
    static OrderTree fromSorted(CompactEntry[] sorted, int count) {
        OrderTree tree = new OrderTree();
        if (count == 0) {
            return tree;
        }
        int leafCount = (count + MAX - 1) / MAX;
        Node[] level = new Node[leafCount];
        CompactEntry[] lows = new CompactEntry[leafCount];
        Leaf previous = null;
        for (int l = 0, from = 0; l < leafCount; l++) {
            int to = (int) ((long) count * (l + 1) / leafCount); // even split: every leaf holds >= MIN
            Leaf leaf = new Leaf();
            leaf.n = to - from;
            System.arraycopy(sorted, from, leaf.keys, 0, leaf.n);
            if (previous != null) {
                previous.next = leaf;
            }
            previous = leaf;
            level[l] = leaf;
            lows[l] = leaf.keys[0];
            from = to;
        }
        while (level.length > 1) {
            int parentCount = (level.length + MAX - 1) / MAX;
            Node[] parents = new Node[parentCount];
            CompactEntry[] parentLows = new CompactEntry[parentCount];
            for (int p = 0, from = 0; p < parentCount; p++) {
                int to = (int) ((long) level.length * (p + 1) / parentCount);
                Inner in = new Inner();
                for (int k = from; k < to; k++) {
                    in.kids[in.n] = level[k];
                    in.counts[in.n] = sizeOf(level[k]);
                    in.seps[in.n] = in.n == 0 ? null : lows[k];
                    in.n++;
                }
                parents[p] = in;
                parentLows[p] = lows[from];
                from = to;
            }
            level = parents;
            lows = parentLows;
        }
        tree.root = level[0];
        tree.size = count;
        return tree;
    }

    private Node insert(Node node, CompactEntry e, boolean rightEdge) {
        if (node instanceof Leaf leaf) {
            int pos = search(leaf, e);
            if (pos >= 0) {
                throw new IllegalStateException("order key already present");
            }
            pos = -pos - 1;
            System.arraycopy(leaf.keys, pos, leaf.keys, pos + 1, leaf.n - pos);
            leaf.keys[pos] = e;
            leaf.n++;
            return leaf.n > MAX ? splitLeaf(leaf, rightEdge && pos == leaf.n - 1) : null;
        }
        Inner in = (Inner) node;
        int i = route(in, e);
        in.counts[i]++;
        Node split = insert(in.kids[i], e, rightEdge && i == in.n - 1);
        if (split == null) {
            return null;
        }
        int moved = sizeOf(split);
        in.counts[i] -= moved;
        int at = i + 1;
        System.arraycopy(in.kids, at, in.kids, at + 1, in.n - at);
        System.arraycopy(in.counts, at, in.counts, at + 1, in.n - at);
        System.arraycopy(in.seps, at, in.seps, at + 1, in.n - at);
        in.kids[at] = split;
        in.counts[at] = moved;
        in.seps[at] = splitSeparator;
        in.n++;
        return in.n > MAX ? splitInner(in, rightEdge && at == in.n - 1) : null;
    }

    private Leaf splitLeaf(Leaf leaf, boolean appended) {
        int keep = appended ? MAX : leaf.n / 2;
        Leaf right = new Leaf();
        right.n = leaf.n - keep;
        System.arraycopy(leaf.keys, keep, right.keys, 0, right.n);
        Arrays.fill(leaf.keys, keep, leaf.n, null);
        leaf.n = keep;
        right.next = leaf.next;
        leaf.next = right;
        splitSeparator = right.keys[0];
        return right;
    }

    private Inner splitInner(Inner in, boolean appended) {
        // Two children go right even on append: an inner node with one child could end up empty.
        int keep = appended ? in.n - 2 : in.n / 2;
        Inner right = new Inner();
        right.n = in.n - keep;
        System.arraycopy(in.kids, keep, right.kids, 0, right.n);
        System.arraycopy(in.counts, keep, right.counts, 0, right.n);
        System.arraycopy(in.seps, keep, right.seps, 0, right.n);
        splitSeparator = right.seps[0];
        right.seps[0] = null;
        Arrays.fill(in.kids, keep, in.n, null);
        Arrays.fill(in.counts, keep, in.n, 0);
        Arrays.fill(in.seps, keep, in.n, null);
        in.n = keep;
        return right;
    }

    private boolean remove(Node node, CompactEntry e) {
        if (node instanceof Leaf leaf) {
            int pos = search(leaf, e);
            if (pos < 0) {
                return false;
            }
            System.arraycopy(leaf.keys, pos + 1, leaf.keys, pos, leaf.n - pos - 1);
            leaf.keys[--leaf.n] = null;
            return true;
        }
        Inner in = (Inner) node;
        int i = route(in, e);
        if (!remove(in.kids[i], e)) {
            return false;
        }
        in.counts[i]--;
        if (in.kids[i].n < MIN && in.n > 1) {
            rebalance(in, i);
        }
        return true;
    }

    /** Fixes an underfull child by merging it with a sibling, or by moving children over when both are big. */
    private void rebalance(Inner parent, int underfull) {
        int l = underfull > 0 ? underfull - 1 : underfull;
        if (parent.kids[l].n + parent.kids[l + 1].n <= MAX) {
            merge(parent, l);
        } else {
            redistribute(parent, l);
        }
    }

    private void merge(Inner parent, int l) {
        int r = l + 1;
        Node a = parent.kids[l];
        Node b = parent.kids[r];
        if (a instanceof Leaf la) {
            Leaf lb = (Leaf) b;
            System.arraycopy(lb.keys, 0, la.keys, la.n, lb.n);
            la.n += lb.n;
            la.next = lb.next;
        } else {
            Inner ia = (Inner) a;
            Inner ib = (Inner) b;
            System.arraycopy(ib.kids, 0, ia.kids, ia.n, ib.n);
            System.arraycopy(ib.counts, 0, ia.counts, ia.n, ib.n);
            System.arraycopy(ib.seps, 0, ia.seps, ia.n, ib.n);
            ia.seps[ia.n] = parent.seps[r];
            ia.n += ib.n;
        }
        parent.counts[l] += parent.counts[r];
        System.arraycopy(parent.kids, r + 1, parent.kids, r, parent.n - r - 1);
        System.arraycopy(parent.counts, r + 1, parent.counts, r, parent.n - r - 1);
        System.arraycopy(parent.seps, r + 1, parent.seps, r, parent.n - r - 1);
        parent.n--;
        parent.kids[parent.n] = null;
        parent.counts[parent.n] = 0;
        parent.seps[parent.n] = null;
    }

    private void redistribute(Inner parent, int l) {
        int r = l + 1;
        Node a = parent.kids[l];
        Node b = parent.kids[r];
        int target = (a.n + b.n) / 2;
        if (a instanceof Leaf la) {
            Leaf lb = (Leaf) b;
            if (la.n < target) {
                int k = target - la.n;
                System.arraycopy(lb.keys, 0, la.keys, la.n, k);
                System.arraycopy(lb.keys, k, lb.keys, 0, lb.n - k);
                Arrays.fill(lb.keys, lb.n - k, lb.n, null);
                la.n += k;
                lb.n -= k;
            } else {
                int k = la.n - target;
                System.arraycopy(lb.keys, 0, lb.keys, k, lb.n);
                System.arraycopy(la.keys, la.n - k, lb.keys, 0, k);
                Arrays.fill(la.keys, la.n - k, la.n, null);
                la.n -= k;
                lb.n += k;
            }
            parent.seps[r] = lb.keys[0];
            parent.counts[l] = la.n;
            parent.counts[r] = lb.n;
            return;
        }
        Inner ia = (Inner) a;
        Inner ib = (Inner) b;
        int moved = 0;
        if (ia.n < target) {
            int k = target - ia.n;
            for (int j = 0; j < k; j++) {
                ia.kids[ia.n + j] = ib.kids[j];
                ia.counts[ia.n + j] = ib.counts[j];
                ia.seps[ia.n + j] = j == 0 ? parent.seps[r] : ib.seps[j];
                moved += ib.counts[j];
            }
            parent.seps[r] = ib.seps[k];
            System.arraycopy(ib.kids, k, ib.kids, 0, ib.n - k);
            System.arraycopy(ib.counts, k, ib.counts, 0, ib.n - k);
            System.arraycopy(ib.seps, k, ib.seps, 0, ib.n - k);
            Arrays.fill(ib.kids, ib.n - k, ib.n, null);
            Arrays.fill(ib.counts, ib.n - k, ib.n, 0);
            Arrays.fill(ib.seps, ib.n - k, ib.n, null);
            ib.seps[0] = null;
            ia.n += k;
            ib.n -= k;
            parent.counts[l] += moved;
            parent.counts[r] -= moved;
        } else {
            int k = ia.n - target;
            System.arraycopy(ib.kids, 0, ib.kids, k, ib.n);
            System.arraycopy(ib.counts, 0, ib.counts, k, ib.n);
            System.arraycopy(ib.seps, 0, ib.seps, k, ib.n);
            ib.seps[k] = parent.seps[r];
            int from = ia.n - k;
            for (int j = 0; j < k; j++) {
                ib.kids[j] = ia.kids[from + j];
                ib.counts[j] = ia.counts[from + j];
                ib.seps[j] = ia.seps[from + j];
                moved += ia.counts[from + j];
            }
            parent.seps[r] = ia.seps[from];
            ib.seps[0] = null;
            Arrays.fill(ia.kids, from, ia.n, null);
            Arrays.fill(ia.counts, from, ia.n, 0);
            Arrays.fill(ia.seps, from, ia.n, null);
            ia.n -= k;
            ib.n += k;
            parent.counts[l] -= moved;
            parent.counts[r] += moved;
        }
    }

    /** Child of {@code in} whose key range holds {@code e}: the last i with seps[i] <= e (or 0). */
    private static int route(Inner in, CompactEntry e) {
        int lo = 1;
        int hi = in.n - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (CompactEntry.compare(in.seps[mid], e) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Position of {@code e}'s key in the leaf, or {@code -(insertion point) - 1}. */
    private static int search(Leaf leaf, CompactEntry e) {
        int lo = 0;
        int hi = leaf.n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = CompactEntry.compare(leaf.keys[mid], e);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    private static int sizeOf(Node node) {
        if (node instanceof Inner in) {
            int sum = 0;
            for (int i = 0; i < in.n; i++) {
                sum += in.counts[i];
            }
            return sum;
        }
        return node.n;
    }

    /** Verifies the structural invariants (for tests); throws IllegalStateException on the first violation. */
    void checkInvariants() {
        int counted = check(root, null, null, true, true);
        if (counted != size) {
            throw new IllegalStateException("size " + size + " but tree holds " + counted);
        }
        CompactEntry[] inOrder = toArray();
        for (int i = 1; i < inOrder.length; i++) {
            if (CompactEntry.compare(inOrder[i - 1], inOrder[i]) >= 0) {
                throw new IllegalStateException("leaf chain out of order at " + i);
            }
        }
    }

    /** Returns the subtree size; keys must lie in [low, high). Right-edge nodes may be small (see splits). */
    private static int check(Node node, CompactEntry low, CompactEntry high, boolean isRoot, boolean rightEdge) {
        int min = rightEdge || isRoot ? (node instanceof Inner ? 2 : isRoot ? 0 : 1) : MIN;
        if (node.n < min || node.n > MAX) {
            throw new IllegalStateException("node occupancy " + node.n);
        }
        if (node instanceof Leaf leaf) {
            for (int i = 0; i < leaf.n; i++) {
                CompactEntry k = leaf.keys[i];
                if ((low != null && CompactEntry.compare(k, low) < 0)
                        || (high != null && CompactEntry.compare(k, high) >= 0)) {
                    throw new IllegalStateException("key outside its separators");
                }
            }
            return leaf.n;
        }
        Inner in = (Inner) node;
        int total = 0;
        for (int i = 0; i < in.n; i++) {
            CompactEntry kidLow = i == 0 ? low : in.seps[i];
            CompactEntry kidHigh = i + 1 < in.n ? in.seps[i + 1] : high;
            int kidSize = check(in.kids[i], kidLow, kidHigh, false, rightEdge && i == in.n - 1);
            if (kidSize != in.counts[i]) {
                throw new IllegalStateException("count " + in.counts[i] + " but subtree holds " + kidSize);
            }
            total += kidSize;
        }
        return total;
    }
}
