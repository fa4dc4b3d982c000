package io.mcpsession.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The rows of one run, written as a Markdown table.
 */
public final class ResultTable {

    private final List<ResultRow> rows = Collections.synchronizedList(new ArrayList<>());

    public void add(ResultRow row) {
        this.rows.add(row);
        System.out.println("[bench] " + toMarkdown(row));
    }

    public void addAll(List<ResultRow> rows) {
        rows.forEach(this::add);
    }

    public List<ResultRow> rows() {
        return List.copyOf(this.rows);
    }

    public String toMarkdown() {
        StringBuilder table = new StringBuilder();
        table.append("| benchmark | variant | figure | baseline | baseline figure | ratio | target | verdict |\n");
        table.append("|---|---|---|---|---|---|---|---|\n");
        for (ResultRow row : rows()) {
            table.append(toMarkdown(row)).append('\n');
        }
        return table.toString();
    }

    public void write(Path file, String heading) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, heading + "\n\n" + toMarkdown());
    }

    private static String toMarkdown(ResultRow row) {
        return "| " + row.benchmark() + " | " + row.variant() + " | " + cell(row.subject()) + " | "
                + row.baselineName() + " | " + cell(row.baseline()) + " | " + cell(row.ratio()) + " | " + row.target()
                + " | " + row.verdict().label() + " |";
    }

    private static String cell(@Nullable Measurement measurement) {
        return (measurement != null) ? measurement.toString() : "";
    }

}
