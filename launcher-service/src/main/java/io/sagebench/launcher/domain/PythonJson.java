package io.sagebench.launcher.domain;

import java.math.BigDecimal;

/**
 * Encodes hyperparameter values exactly as the SageMaker Python SDK does ({@code json.dumps(value)}), so the container
 * sees the same strings as with the HuggingFace estimator: strings quoted ({@code "\"train.py\""}), ints {@code "32"},
 * bools {@code "true"}, floats in Python's repr ({@code 5e-05}, {@code 0.000283}, {@code 3.0}).
 */
public final class PythonJson {
    private PythonJson() {
    }

    public static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // json.dumps defaults to ensure_ascii=True: everything outside printable ASCII becomes \\uXXXX.
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    public static String integer(long v) {
        return Long.toString(v);
    }

    public static String bool(boolean v) {
        return v ? "true" : "false";
    }

    /** Python's float repr: shortest digits, scientific when the decimal exponent is below -4 or at least 16. */
    public static String floating(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        String plain = bd.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** A whole number is sent as an int (the estimator is usually given {@code epochs=3}), anything else as a float. */
    public static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return integer((long) d);
        }
        return floating(d);
    }

    /**
     * The design's free-form hyperparameters arrive as strings (the event schema says so). A value that reads as a JSON
     * number or boolean is what the user would have passed to the estimator as a number or bool, so it is sent
     * unquoted; anything else is a string and is quoted, as json.dumps would.
     */
    public static String inferred(String raw) {
        if (raw.equals("true") || raw.equals("false")) {
            return raw;
        }
        if (raw.matches("-?(0|[1-9][0-9]*)")) {
            return raw;
        }
        if (raw.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            return floating(Double.parseDouble(raw));
        }
        return string(raw);
    }
}
