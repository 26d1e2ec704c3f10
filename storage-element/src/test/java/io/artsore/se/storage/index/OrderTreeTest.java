package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Structure of the counted B+-tree: invariants and contents against a TreeSet through growth and shrinkage. */
class OrderTreeTest {
    private final Interner interner = new Interner();

    @Test
    void bulkLoadedTreeSurvivesRandomInsertsAndRemovals() {
        Random random = new Random(5);
        TreeSet<CompactEntry> model = new TreeSet<>(CompactEntry::compare);
        for (int i = 0; i < 30_000; i++) {
            model.add(entry(random, random.nextInt(100_000)));
        }
        OrderTree tree = OrderTree.fromSorted(model.toArray(new CompactEntry[0]), model.size());
        tree.checkInvariants();
        List<CompactEntry> present = new ArrayList<>(model);
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 10_000; i++) {
                if (random.nextInt(3) == 0 || present.isEmpty()) {
                    CompactEntry e = entry(random, random.nextInt(100_000));
                    tree.insert(e);
                    model.add(e);
                    present.add(e);
                } else {
                    CompactEntry e = present.remove(random.nextInt(present.size()));
                    assertThat(tree.remove(e)).isTrue();
                    model.remove(e);
                }
            }
            tree.checkInvariants();
            assertThat(tree.toArray()).containsExactly(model.toArray(new CompactEntry[0]));
        }
        assertThat(tree.remove(entry(random, 1))).isFalse();
    }

    @Test
    void appendingInOrderThenDrainingKeepsInvariants() {
        Random random = new Random(9);
        OrderTree tree = new OrderTree();
        List<CompactEntry> appended = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            CompactEntry e = entry(random, i);
            tree.insert(e);
            appended.add(e);
        }
        tree.checkInvariants();
        CompactEntry[] page = new CompactEntry[1000];
        assertThat(tree.copyRange(19_500, page)).isEqualTo(500);
        assertThat(page[0]).isSameAs(appended.get(19_500));
        for (int i = appended.size() - 1; i >= 0; i--) {
            assertThat(tree.remove(appended.get(i))).isTrue();
            if (i % 997 == 0) {
                tree.checkInvariants();
            }
        }
        assertThat(tree.size()).isZero();
        assertThat(tree.copyRange(0, page)).isZero();
    }

    @Test
    void bulkLoadOfAnySizeHasValidStructure() {
        Random random = new Random(13);
        for (int n : new int[] {0, 1, 63, 64, 65, 64 * 64, 64 * 64 + 1, 5_000}) {
            TreeSet<CompactEntry> sorted = new TreeSet<>(CompactEntry::compare);
            while (sorted.size() < n) {
                sorted.add(entry(random, random.nextInt(1000)));
            }
            OrderTree tree = OrderTree.fromSorted(sorted.toArray(new CompactEntry[0]), n);
            tree.checkInvariants();
            assertThat(tree.toArray()).containsExactly(sorted.toArray(new CompactEntry[0]));
        }
    }

    private CompactEntry entry(Random random, long second) {
        return CompactEntry.of(TestFiles.realistic(random, second), interner);
    }
}
