package io.artsore.se.api.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Strict byte-to-text decoding: invalid input is a client error, never silently replaced. */
final class Text {
    private Text() {
    }

    static String decodeStrict(byte[] bytes, Charset charset, String what) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MultipartException(what + " is not valid " + charset.name());
        }
    }
}
