package io.artsore.se.storage.filestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.RandomInputs;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DataFileNamesTest {
    static final UUID ID = UUID.fromString("3f2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11");
    static final Instant AT = Instant.parse("2026-02-21T10:15:30.987Z");
    /** Longest sidecar name: name + user + timestamp + id + ext + separators + ".attr.json". */
    static final int MAX_SIDECAR_BYTES = DataFileNames.MAX_NAME_BYTES + DataFileNames.MAX_USER_BYTES + 16 + 36
            + DataFileNames.MAX_EXT_BYTES + 4 + ".attr.json".length();

    @Test
    void theFileIdIsReadBackFromDataAndSidecarNames() {
        for (String original : List.of("report.pdf", "README", "a_b_" + UUID.randomUUID() + ".x_y", "..", "")) {
            String data = DataFileNames.of(original, "u_v", AT, ID);
            assertThat(DataFileNames.fileIdOf(data)).as(data).contains(ID);
            assertThat(DataFileNames.fileIdOf(DataFileNames.sidecarOf(data))).as(data).contains(ID);
        }
        assertThat(DataFileNames.fileIdOf("mode.json")).isEmpty();
        assertThat(DataFileNames.fileIdOf("x_" + ID + "0.attr.json")).isEmpty();
        assertThat(DataFileNames.fileIdOf("_" + ID.toString().substring(1))).isEmpty();
    }

    @Test
    void plainNameFollowsTheContractPattern() {
        assertThat(DataFileNames.of("report.pdf", "ingester", AT, ID))
                .isEqualTo("report_ingester_20260221T101530Z_" + ID + ".pdf");
        assertThat(DataFileNames.sidecarOf("x.pdf")).isEqualTo("x.pdf.attr.json");
    }

    @Test
    void nameWithoutExtensionHasNoTrailingDot() {
        assertThat(DataFileNames.of("README", "u", AT, ID)).isEqualTo("README_u_20260221T101530Z_" + ID);
        assertThat(DataFileNames.of("trailing.", "u", AT, ID)).isEqualTo("trailing._u_20260221T101530Z_" + ID);
    }

    @Test
    void traversalAndSeparatorsAreNeutralised() {
        assertThat(DataFileNames.of("../../etc/passwd", "a/b\\c", AT, ID))
                .isEqualTo("passwd_a_b_c_20260221T101530Z_" + ID);
        assertThat(DataFileNames.of("C:\\Users\\me\\photo.jpg", "u", AT, ID))
                .isEqualTo("photo_u_20260221T101530Z_" + ID + ".jpg");
        assertThat(DataFileNames.of("..", "..", AT, ID)).isEqualTo("file_unknown_20260221T101530Z_" + ID);
    }

    @Test
    void leadingDotsAreStrippedSoNothingIsHidden() {
        assertThat(DataFileNames.of(".bashrc", ".me", AT, ID)).isEqualTo("bashrc_me_20260221T101530Z_" + ID);
        assertThat(DataFileNames.of("...x.txt", "u", AT, ID)).startsWith("x_u_");
    }

    @Test
    void controlAndBidiCharactersAreReplaced() {
        String n = DataFileNames.of("a\u0000b\nc\u202Ed.txt", "u\u0007", AT, ID);
        assertThat(n).isEqualTo("a_b_c_d_u__20260221T101530Z_" + ID + ".txt");
    }

    @Test
    void extensionIsAsciiAlphanumericAndBounded() {
        assertThat(DataFileNames.of("a.t x\tt", "u", AT, ID)).endsWith(ID + ".txt");
        assertThat(DataFileNames.of("a." + "e".repeat(40), "u", AT, ID)).endsWith(ID + "." + "e".repeat(16));
        assertThat(DataFileNames.of("a.ü", "u", AT, ID)).endsWith(ID.toString());
    }

    @Test
    void longMultibyteNameIsCutOnACodePointBoundary() {
        String name = DataFileNames.of("я".repeat(200) + ".txt", "u", AT, ID);
        String part = name.substring(0, name.indexOf('_'));
        assertThat(part.getBytes(StandardCharsets.UTF_8)).hasSize(100);
        assertThat(part).isEqualTo("я".repeat(50));
        assertThat(DataFileNames.of("a..b.txt", "u", AT, ID)).startsWith("a__b_u_");
        String emoji = DataFileNames.truncateUtf8("😀😀😀", 7);
        assertThat(emoji).isEqualTo("😀");
    }

    record Names(String original, String user) {
    }

    @Test
    void anyInputGivesASafeBoundedValidUtf8NameContainingTheId() {
        List<String> edges = List.of("", "..", ".", "/", "\\", "\0", "../..", ".hidden", "a..b", "\ud800",
                "\udc00x", "😀", "\u202e", ".".repeat(300), "я".repeat(200), "😀".repeat(150));
        List<Names> edgePairs = edges.stream()
                .flatMap(original -> edges.stream().map(user -> new Names(original, user))).toList();
        RandomInputs.forAll(edgePairs, 500, random -> new Names(nasty(random), nasty(random)), this::assertSafeName);
    }

    private void assertSafeName(Names names) {
        UUID id = UUID.randomUUID();
        String name = DataFileNames.of(names.original(), names.user(), AT, id);
        String sidecar = DataFileNames.sidecarOf(name);
        assertThat(name).contains(id.toString());
        assertThat(name).doesNotContain("/", "\\", "\0", "..");
        assertThat(name).doesNotStartWith(".");
        assertThat(name.codePoints().noneMatch(Character::isISOControl)).isTrue();
        assertThat(isValidUtf8(name.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(name).isEqualTo(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertThat(sidecar.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX_SIDECAR_BYTES)
                .isLessThan(255);
    }

    /** Any chars, path-like chars, long Cyrillic (multi-byte truncation), or the fixed "" and "..". */
    private static String nasty(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> RandomInputs.anyString(random, 300);
            case 1 -> RandomInputs.string(random, "./\\\0\n\r\t\u202e\ud800\udc00яé😀 a", 0, 120);
            case 2 -> RandomInputs.string(random, '\u0400', '\u04ff', 40, 200);
            case 3 -> "";
            default -> "..";
        };
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
