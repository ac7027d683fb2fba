package io.sagebench.contracts;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;

import java.util.List;
import java.util.regex.Pattern;

/** Jackson's location of a binding problem as a JSON path, written like the schema validator writes its paths. */
final class JsonPaths {

    private static final Pattern PLAIN_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private JsonPaths() {
    }

    static String of(List<Reference> references) {
        StringBuilder path = new StringBuilder("$");
        for (Reference r : references) {
            if (r.getFieldName() == null) {
                path.append('[').append(r.getIndex()).append(']');
            } else if (PLAIN_NAME.matcher(r.getFieldName()).matches()) {
                path.append('.').append(r.getFieldName());
            } else {
                path.append("['").append(r.getFieldName().replace("'", "\\'")).append("']");
            }
        }
        return path.toString();
    }
}
