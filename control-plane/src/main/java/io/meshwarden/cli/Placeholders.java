package io.meshwarden.cli;

import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One style of placeholder in every help text: an option that names none shows picocli's default,
 * its Java field in angle brackets ({@code --trust-domain=<trustDomain>}), next to options that
 * name theirs in capitals ({@code -f=PATH}). This writes the field name the same way
 * ({@code --trust-domain=TRUST_DOMAIN}) wherever help is printed, so a new option cannot bring
 * the other style back.
 */
final class Placeholders implements CommandLine.IHelpFactory {
  /** picocli's default label: a Java field name in angle brackets. */
  private static final Pattern FIELD_LABEL = Pattern.compile("<([a-z][A-Za-z0-9]*)>");

  @Override
  public Help create(CommandSpec spec, Help.ColorScheme colors) {
    return new Help(spec, colors) {
      @Override
      public Help.IParamLabelRenderer parameterLabelRenderer() {
        return new Renderer(super.parameterLabelRenderer());
      }
    };
  }

  /** {@code <trustDomain>} → {@code TRUST_DOMAIN}; other labels as they are. */
  static String label(String rendered) {
    return FIELD_LABEL.matcher(rendered).replaceAll(m -> m.group(1).replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .toUpperCase(java.util.Locale.ROOT));
  }

  private record Renderer(Help.IParamLabelRenderer delegate) implements Help.IParamLabelRenderer {
    @Override
    public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
      Text text = delegate.renderParameterLabel(arg, ansi, styles);
      String plain = text.plainString();
      String fixed = label(plain);
      return fixed.equals(plain) ? text : ansi.apply(fixed, styles);
    }

    @Override
    public String separator() {
      return delegate.separator();
    }
  }
}
