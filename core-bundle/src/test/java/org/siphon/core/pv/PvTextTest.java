package org.siphon.core.pv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class PvTextTest {

    @Test
    void literalsAndPseudoVariables() {
        assertEquals(List.of("$rU", "@", "$avp(x)", " ", "$(ci)", " $"), PvText.split("$rU@$avp(x) $(ci) $"));
        assertEquals(List.of("sip:", "$fU", "@", "$fd"), PvText.split("sip:$fU@$fd"));
        assertEquals(List.of("$hdr(X-(a))", "!"), PvText.split("$hdr(X-(a))!"), "nested parentheses");
        assertEquals(List.of("$(ci{s.len)"), PvText.split("$(ci{s.len)"));
        assertEquals(List.of("cost $ 5"), PvText.split("cost $ 5"), "a lone $ is text");
        assertEquals(List.of(), PvText.split(""));
    }
}
