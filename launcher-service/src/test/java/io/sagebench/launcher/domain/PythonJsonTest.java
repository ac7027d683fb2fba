package io.sagebench.launcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings are what CPython's json.dumps prints for the same values. */
class PythonJsonTest {

    @Test
    void stringsAreQuotedAndEscapedLikeJsonDumps() {
        assertEquals("\"distilbert-base-uncased\"", PythonJson.string("distilbert-base-uncased"));
        assertEquals("\"\"", PythonJson.string(""));
        assertEquals("\"a\\\"b\\\\c\\nd\"", PythonJson.string("a\"b\\c\nd"));
        assertEquals("\"caf\\u00e9\"", PythonJson.string("café"));
    }

    @Test
    void floatsUsePythonRepr() {
        assertEquals("5e-05", PythonJson.floating(5e-5));
        assertEquals("0.000283", PythonJson.floating(2.83e-4));
        assertEquals("0.0001", PythonJson.floating(1e-4));
        assertEquals("0.9", PythonJson.floating(0.9));
        assertEquals("3.0", PythonJson.floating(3.0));
        assertEquals("1e+16", PythonJson.floating(1e16));
        assertEquals("1234567.5", PythonJson.floating(1234567.5));
        assertEquals("-2.5e-07", PythonJson.floating(-2.5e-7));
    }

    @Test
    void wholeNumbersAreIntsAndOthersFloats() {
        assertEquals("3", PythonJson.number(3.0));
        assertEquals("2.5", PythonJson.number(2.5));
        assertEquals("32", PythonJson.integer(32));
        assertEquals("true", PythonJson.bool(true));
    }

    @Test
    void designHyperparametersKeepTheirJsonType() {
        assertEquals("500", PythonJson.inferred("500"));
        assertEquals("0.1", PythonJson.inferred("0.1"));
        assertEquals("5e-05", PythonJson.inferred("5e-5"));
        assertEquals("true", PythonJson.inferred("true"));
        assertEquals("\"linear\"", PythonJson.inferred("linear"));
        assertEquals("\"007\"", PythonJson.inferred("007"));
    }
}
