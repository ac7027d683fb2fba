package io.sagebench.emulator;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as a process: {@code --host --port --clock-factor --sqs-endpoint --queue-url --seed}, plus
 * {@code --create-rate <per second>}, {@code --quota <instance type>=<instances>} (repeatable),
 * {@code --default-quota <instances>} and {@code --fault <name>=<percent>} (repeatable, names as in FaultSettings).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        EmulatorConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sagebench emulator: " + e.getMessage());
            System.err.println("usage: --host H --port P --clock-factor F --sqs-endpoint URL --queue-url URL --seed N"
                    + " [--create-rate R] [--default-quota N] [--quota TYPE=N]... [--fault NAME=PERCENT]...");
            System.exit(2);
            return;
        }
        SageMakerEmulator emulator;
        try {
            emulator = SageMakerEmulator.start(config);
        } catch (Exception e) {
            System.err.println("sagebench emulator: cannot start on " + config.host() + ":" + config.port() + ": " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "sagemaker-emulator-shutdown"));
        System.out.println("SageMaker emulator listening on " + emulator.endpoint());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static EmulatorConfig parse(String[] args) {
        EmulatorConfig.Builder b = EmulatorConfig.builder();
        FaultSettings faults = new FaultSettings();
        URI sqs = null;
        String queue = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                problems.add(flag + " needs a value");
                break;
            }
            String v = args[++i];
            try {
                switch (flag) {
                    case "--host" -> b.host(v);
                    case "--port" -> b.port(Integer.parseInt(v));
                    case "--clock-factor" -> b.clockFactor(Double.parseDouble(v));
                    case "--sqs-endpoint" -> sqs = v.isBlank() ? null : URI.create(v);
                    case "--queue-url" -> queue = v.isBlank() ? null : v;
                    case "--seed" -> b.seed(Long.parseLong(v));
                    case "--region" -> b.region(v);
                    case "--account-id" -> b.accountId(v);
                    case "--create-rate" -> b.createTrainingJobRateLimit(Double.parseDouble(v), 1);
                    case "--default-quota" -> b.defaultInstanceQuota(Integer.parseInt(v));
                    case "--quota" -> {
                        String[] kv = split(v);
                        b.instanceQuota(kv[0], Integer.parseInt(kv[1]));
                    }
                    case "--fault" -> {
                        String[] kv = split(v);
                        if (kv[0].equals("eventDelayMillis")) faults.eventDelayMillis(Long.parseLong(kv[1]));
                        else faults.set(kv[0], Double.parseDouble(kv[1]));
                    }
                    default -> problems.add("unknown option " + flag);
                }
            } catch (IllegalArgumentException e) {
                problems.add(flag + " " + v + ": " + e.getMessage());
            }
        }
        if ((sqs == null) != (queue == null)) problems.add("--sqs-endpoint and --queue-url go together");
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        if (sqs != null) b.events(sqs, queue);
        return b.faults(faults).build();
    }

    private static String[] split(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || eq == kv.length() - 1) throw new IllegalArgumentException("expected NAME=VALUE, got '" + kv + "'");
        return new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
    }
}
