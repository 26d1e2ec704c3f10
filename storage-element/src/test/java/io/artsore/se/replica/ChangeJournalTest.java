package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeJournalTest {
    @TempDir
    Path data;

    @Test
    void aTailSeesOnlyOtherWritersEntriesAppendedAfterItWasPositioned() throws Exception {
        ChangeJournal leader = new ChangeJournal(data);
        ChangeJournal follower = new ChangeJournal(data);
        UUID before = UUID.randomUUID();
        leader.append(1, Instant.ofEpochMilli(10), before.toString());
        ChangeJournal.Tail tail = follower.tailFromNow();
        UUID after = UUID.randomUUID();
        leader.append(1, Instant.ofEpochMilli(20), after.toString());
        follower.append(0, Instant.ofEpochMilli(30), ChangeJournal.RESYNC); // its own: not for itself

        assertThat(tail.poll()).containsExactly(new ChangeJournal.Entry(1, 20, after.toString()));
        assertThat(tail.poll()).isEmpty();
        leader.append(2, Instant.ofEpochMilli(40), ChangeJournal.RESYNC);
        assertThat(tail.poll()).containsExactly(new ChangeJournal.Entry(2, 40, ChangeJournal.RESYNC));
    }

    @Test
    void anIncompleteLastLineIsLeftUntilItIsCompleteAndGarbageIsSkipped() throws Exception {
        ChangeJournal reader = new ChangeJournal(data);
        ChangeJournal.Tail tail = reader.tailFromNow();
        Path segment = data.resolve(ChangeJournal.DIR_NAME).resolve("deadwriter-000000.log");
        UUID id = UUID.randomUUID();
        Files.writeString(segment, "not a line\n3 5 " + id.toString().substring(0, 10), StandardCharsets.US_ASCII);
        assertThat(tail.poll()).isEmpty();
        Files.writeString(segment, id.toString().substring(10) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
        assertThat(tail.poll()).containsExactly(new ChangeJournal.Entry(3, 5, id.toString()));
    }

    @Test
    void pruningRemovesIdleSegmentsButNotTheOneBeingWritten() throws Exception {
        ChangeJournal writer = new ChangeJournal(data);
        writer.append(1, Instant.now(), UUID.randomUUID().toString());
        Path old = data.resolve(ChangeJournal.DIR_NAME).resolve("gone-000000.log");
        Files.writeString(old, "");
        writer.prune(Duration.ZERO, Instant.now().plusSeconds(5));
        try (var list = Files.list(data.resolve(ChangeJournal.DIR_NAME))) {
            assertThat(list.map(p -> p.getFileName().toString()).toList()).hasSize(1).noneMatch(n -> n.startsWith("gone"));
        }
    }
}
