package io.meshwarden.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The top-level {@code meshwarden} command. */
@Command(
    name = "meshwarden",
    mixinStandardHelpOptions = true,
    versionProvider = MeshwardenCommand.Version.class,
    description = "Service-mesh network policy analyzer and enforcer.",
    subcommands = {AnalyzeCommand.class, GenerateCommand.class, ConnectivityCommand.class, DiffCommand.class, DryRunCommand.class, ExplainCommand.class, BenchCommand.class, BenchFlowsCommand.class, BenchRbacCommand.class, BenchGenerateCommand.class, BenchCommandsCommand.class, BenchAlsCommand.class, BenchIndexCommand.class, BenchHeapCommand.class, BenchXdsCommand.class, ServeCommand.class, DemoCommand.class,
      CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a check failed (findings at or above --fail-on, flows a policy would deny)",
      "2:invalid command line",
      "3:input could not be read or understood (file and line are printed)",
      "4:explain, dry-run: the verdict depends on what is not known, or an external authorizer decides",
      "70:internal error"
    })
public final class MeshwardenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "On an internal error, print the Java stack trace too.")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    MeshwardenCommand top = new MeshwardenCommand();
    CommandLine cl = new CommandLine(top, new Factory(in, out));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    cl.setErr(errWriter);
    cl.setExecutionExceptionHandler((ex, line, parse) -> Failure.report(ex, top.debug, line.getErr()));
    cl.setParameterExceptionHandler(new UnknownFirst(cl.getParameterExceptionHandler()));
    cl.setHelpFactory(new Placeholders());
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // picocli hands only Exceptions to the handler; an Error of the JVM ends up here.
      return Failure.report(e, top.debug, errWriter);
    }
  }

  /** Hands stdin to the commands that read {@code -}, and stdout to those that stream bytes. */
  private record Factory(InputStream in, PrintStream out) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == ConnectivityCommand.class) {
        return cls.cast(new ConnectivityCommand(in, out));
      }
      if (cls == GenerateCommand.class) {
        return cls.cast(new GenerateCommand(in, new TrafficSource()));
      }
      if (cls == ExplainCommand.class) {
        return cls.cast(new ExplainCommand(in));
      }
      if (cls == DryRunCommand.class) {
        return cls.cast(new DryRunCommand(in, new TrafficSource()));
      }
      if (cls == DiffCommand.class) {
        return cls.cast(new DiffCommand(in, out));
      }
      if (cls == AnalyzeCommand.class) {
        return cls.cast(new AnalyzeCommand(in, new TrafficSource()));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    /** The bare version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    String version() {
      Properties p = new Properties();
      try (InputStream in = MeshwardenCommand.class.getResourceAsStream("/meshwarden-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        return "unknown";
      }
      return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = MeshwardenCommand.class.getResourceAsStream("/meshwarden-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"meshwarden " + p.getProperty("version", "unknown"),
          "Java " + System.getProperty("java.version")};
    }
  }
}
