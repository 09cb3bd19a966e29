package io.tradeflow.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a result was measured on, written next to every number: cores, CPU model, memory,
 * JDK and OS.
 */
public record Machine(int cores, String cpu, long memoryMiB, String jdk, String os) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryMiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    public String describe() {
        return cores + " cores (" + cpu + "), " + memoryMiB + " MiB RAM, " + jdk + ", " + os;
    }

    static String readCpuModel() {
        return firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    static long readMemoryMiB() {
        return firstValue(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024)
                .orElse(-1L);
    }

    static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return parseValue(lines, key);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The value of the first {@code key : value} line. */
    static java.util.Optional<String> parseValue(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return java.util.Optional.of(line.substring(colon + 1).trim());
            }
        }
        return java.util.Optional.empty();
    }
}
