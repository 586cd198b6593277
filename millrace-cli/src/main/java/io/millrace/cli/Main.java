package io.millrace.cli;

import io.millrace.config.ConfigException;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.PortInUseException;
import io.millrace.stack.StackException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code millrace} command line. */
@Command(name = "millrace", mixinStandardHelpOptions = true, version = "Millrace 0.1.0",
        description = "Real-time stream processing on Apache Flink: run pipelines against an embedded Kafka and "
                + "PostgreSQL, generate data, verify results.",
        subcommands = {
            UpCommand.class,
            DownCommand.class,
            StatusCommand.class,
            GenCommand.class,
            RunCommand.class,
            VerifyCommand.class,
            DemoCommand.class,
            DashboardCommand.class,
            SqlCommand.class,
            ConfigCommand.class,
            ResetCommand.class,
            BenchCommand.class,
            StressCommand.class,
            MonitorCommand.class,
            ChaosCommand.class,
            TailCommand.class,
            RedisCommand.class,
            SearchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Before anything logs: one log file per command under the stack's home.
        System.setProperty("millrace.log.dir", MillraceHome.resolve().logs().toString());
        System.setProperty("millrace.log.name", args.length > 0 && args[0].matches("[a-z]+") ? args[0] : "millrace");
        System.exit(execute(args));
    }

    /** The command line with every registered pipeline's generator and flags. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        GenCommand.install(cli.getSubcommands().get("gen"));
        for (CommandLine command : cli.getSubcommands().values()) {
            if (command.getCommandSpec().mixins().containsKey("pipelineFlags")) {
                PipelineFlags.install(command.getCommandSpec());
            }
        }
        return cli;
    }

    /** Runs one command line; returns its exit code (tests call this directly). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof UserError || e instanceof ConfigException || e instanceof PortInUseException
                    || e instanceof StackException) {
                err.println("error: " + e.getMessage());
            } else {
                err.println("error: " + e);
                if (System.getenv("MILLRACE_DEBUG") != null) {
                    e.printStackTrace(err);
                } else {
                    err.println("(set MILLRACE_DEBUG=1 for the stack trace; logs are in .millrace/logs)");
                }
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }
}
