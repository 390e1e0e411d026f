package io.meshwarden.sidecar.validate;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.meshwarden.sidecar.ResourceJson;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Interprets the protoc-gen-validate annotations of the Envoy protos by reflection. Covered:
 * message required/skip, oneof required, repeated min/max items (and item rules), map min/max
 * pairs, string lengths/prefix/suffix/contains/const/in, every numeric type's
 * const/lt/lte/gt/gte/in/not_in (also on wrapper types), enum defined_only/const/in/not_in,
 * duration required and bounds, any required/in. Not covered: string {@code pattern} and
 * {@code well_known} formats, bytes, timestamps; those rules are skipped, not failed.
 */
final class PgvRules {
  /**
   * Rules per field, read once: descriptor options keep PGV's extensions as unknown fields, so every
   * getExtension would parse them again. Descriptors are JVM-wide constants, which makes this a memo
   * of a pure function rather than state.
   */
  private static final java.util.concurrent.ConcurrentHashMap<FieldDescriptor, java.util.Optional<Validate.FieldRules>>
      FIELD_RULES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.ConcurrentHashMap<Descriptor, Boolean> SKIPPED =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.ConcurrentHashMap<OneofDescriptor, Boolean> REQUIRED_ONEOF =
      new java.util.concurrent.ConcurrentHashMap<>();

  private PgvRules() {}

  /** A descriptor's fields with their rules, looked up once per type instead of once per field visit. */
  private record Plan(FieldDescriptor[] fields, Validate.FieldRules[] rules, OneofDescriptor[] requiredOneofs,
      boolean skipped) {}

  private static final java.util.concurrent.ConcurrentHashMap<Descriptor, Plan> PLANS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Plan plan(Descriptor d) {
    return PLANS.computeIfAbsent(d, k -> {
      List<FieldDescriptor> fields = k.getFields();
      Validate.FieldRules[] rules = new Validate.FieldRules[fields.size()];
      for (int i = 0; i < rules.length; i++) {
        rules[i] = rules(fields.get(i));
      }
      OneofDescriptor[] required = k.getRealOneofs().stream()
          .filter(o -> o.getOptions().getExtension(Validate.required)).toArray(OneofDescriptor[]::new);
      return new Plan(fields.toArray(new FieldDescriptor[0]), rules, required,
          k.getOptions().getExtension(Validate.disabled) || k.getOptions().getExtension(Validate.ignored));
    });
  }

  private static Validate.FieldRules rules(FieldDescriptor f) {
    return FIELD_RULES.computeIfAbsent(f, k -> k.getOptions().hasExtension(Validate.rules)
        ? java.util.Optional.of(k.getOptions().getExtension(Validate.rules)) : java.util.Optional.empty()).orElse(null);
  }

  static void check(Message m, String path, List<String> errors) {
    visit(m, path, errors);
  }

  /**
   * A field path, rendered only when an error names it: building "a.b[3].c" strings for every
   * field of every resource cost more than the checks themselves.
   */
  private record Path(Object parent, String separator, Object name, String suffix) {
    @Override
    public String toString() {
      return parent + separator + name + suffix;
    }
  }

  private static void visit(Message m, Object path, List<String> errors) {
    Descriptor d = m.getDescriptorForType();
    Plan plan = plan(d);
    if (plan.skipped()) {
      return;
    }
    if (m instanceof Any any) {
      checkAny(any, path, errors);
      return;
    }
    for (OneofDescriptor o : plan.requiredOneofs()) {
      if (!m.hasOneof(o)) {
        errors.add(path + ": exactly one of " + o.getName() + " is required");
      }
    }
    // Fields with rules are checked set or not (an unset proto3 scalar is checked as its default);
    // fields without rules matter only when set and holding messages, so only set fields are walked.
    FieldDescriptor[] fields = plan.fields();
    for (int fi = 0; fi < fields.length; fi++) {
      FieldDescriptor f = fields[fi];
      Validate.FieldRules rules = plan.rules()[fi];
      if (rules != null && (f.getRealContainingOneof() == null || m.hasField(f))) {
        field(m, f, rules, path, errors);
      }
    }
    for (FieldDescriptor f : m.getAllFields().keySet()) {
      if (plan.rules()[f.getIndex()] == null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        field(m, f, null, path, errors);
      }
    }
  }

  private static void field(Message m, FieldDescriptor f, Validate.FieldRules rules, Object path,
      List<String> errors) {
    {
      Object fp = new Path(path, ".", f.getName(), "");
      if (f.isMapField()) {
        int n = m.getRepeatedFieldCount(f);
        if (rules != null && rules.hasMap()) {
          Validate.MapRules r = rules.getMap();
          if (r.hasMinPairs() && n < r.getMinPairs()) {
            errors.add(fp + ": needs at least " + r.getMinPairs() + " entries");
          }
          if (r.hasMaxPairs() && n > r.getMaxPairs()) {
            errors.add(fp + ": at most " + r.getMaxPairs() + " entries");
          }
        }
        for (int i = 0; i < n; i++) {
          Message entry = (Message) m.getRepeatedField(f, i);
          Object value = entry.getField(entry.getDescriptorForType().findFieldByName("value"));
          if (value instanceof Message vm) {
            visit(vm, new Path(fp, "[", entry.getField(entry.getDescriptorForType().findFieldByName("key")), "]"), errors);
          }
        }
      } else if (f.isRepeated()) {
        int n = m.getRepeatedFieldCount(f);
        Validate.FieldRules items = null;
        if (rules != null && rules.hasRepeated()) {
          Validate.RepeatedRules r = rules.getRepeated();
          if (r.hasMinItems() && n < r.getMinItems()) {
            errors.add(fp + ": needs at least " + r.getMinItems() + " items");
          }
          if (r.hasMaxItems() && n > r.getMaxItems()) {
            errors.add(fp + ": at most " + r.getMaxItems() + " items");
          }
          items = r.hasItems() ? r.getItems() : null;
        }
        for (int i = 0; i < n; i++) {
          value(f, m.getRepeatedField(f, i), true, items, new Path(fp, "[", i, "]"), errors);
        }
      } else {
        boolean present = f.hasPresence() ? m.hasField(f) : true;
        value(f, present ? m.getField(f) : null, present, rules, fp, errors);
      }
    }
  }

  private static void value(FieldDescriptor f, Object v, boolean present, Validate.FieldRules rules, Object path,
      List<String> errors) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      boolean skip = rules != null && rules.hasMessage() && rules.getMessage().getSkip();
      if (rules != null && rules.hasMessage() && rules.getMessage().getRequired() && !present) {
        errors.add(path + ": is required");
      }
      if (!present) {
        return;
      }
      Message msg = (Message) v;
      if (rules != null) {
        messageRules(msg, rules, path, errors);
      }
      if (!skip) {
        visit(msg, path, errors);
      }
      return;
    }
    if (rules == null || !present) {
      return;
    }
    if (f.getJavaType() == FieldDescriptor.JavaType.STRING && rules.hasString()) {
      string((String) v, rules.getString(), path, errors);
    } else if (f.getJavaType() == FieldDescriptor.JavaType.ENUM && rules.hasEnum()) {
      enumeration((EnumValueDescriptor) v, rules.getEnum(), path, errors);
    } else if (v instanceof Number n) {
      numeric(f.getType(), n, rules, path, errors);
    }
  }

  /** Rules on message-typed fields: wrappers carry scalar rules, Duration and Any their own. */
  private static void messageRules(Message msg, Validate.FieldRules rules, Object path, List<String> errors) {
    String type = msg.getDescriptorForType().getFullName();
    if (type.startsWith("google.protobuf.") && type.endsWith("Value")) {
      FieldDescriptor inner = msg.getDescriptorForType().findFieldByName("value");
      if (inner != null) {
        Object v = msg.getField(inner);
        if (v instanceof String s && rules.hasString()) {
          string(s, rules.getString(), path, errors);
        } else if (v instanceof Number n) {
          numeric(inner.getType(), n, rules, path, errors);
        }
      }
    } else if (type.equals("google.protobuf.Duration") && rules.hasDuration()) {
      Validate.DurationRules r = rules.getDuration();
      BigDecimal value = seconds((com.google.protobuf.Duration) msg);
      bound(value, r.hasLt() ? seconds(r.getLt()) : null, r.hasLte() ? seconds(r.getLte()) : null,
          r.hasGt() ? seconds(r.getGt()) : null, r.hasGte() ? seconds(r.getGte()) : null, path, errors);
    } else if (msg instanceof Any any && rules.hasAny() && !rules.getAny().getInList().isEmpty()
        && !rules.getAny().getInList().contains(any.getTypeUrl())) {
      errors.add(path + ": type " + any.getTypeUrl() + " not allowed here");
    }
  }

  private static void checkAny(Any any, Object path, List<String> errors) {
    String name = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    Descriptor d = ResourceJson.typeRegistry().find(name);
    if (d == null) {
      errors.add(path + ": unknown typed_config " + any.getTypeUrl());
      return;
    }
    try {
      visit(DynamicMessage.parseFrom(d, any.getValue()), new Path(path, "<", d.getName(), ">"), errors);
    } catch (InvalidProtocolBufferException e) {
      errors.add(path + ": unreadable " + name + ": " + e.getMessage());
    }
  }

  private static void string(String s, Validate.StringRules r, Object path, List<String> errors) {
    int len = s.codePointCount(0, s.length());
    int bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (r.getIgnoreEmpty() && s.isEmpty()) {
      return;
    }
    if (r.hasMinLen() && len < r.getMinLen()) {
      errors.add(path + ": must have at least " + r.getMinLen() + " characters");
    }
    if (r.hasMaxLen() && len > r.getMaxLen()) {
      errors.add(path + ": must have at most " + r.getMaxLen() + " characters");
    }
    if (r.hasMinBytes() && bytes < r.getMinBytes()) {
      errors.add(path + ": must have at least " + r.getMinBytes() + " bytes");
    }
    if (r.hasMaxBytes() && bytes > r.getMaxBytes()) {
      errors.add(path + ": must have at most " + r.getMaxBytes() + " bytes");
    }
    if (r.hasConst() && !s.equals(r.getConst())) {
      errors.add(path + ": must be " + r.getConst());
    }
    if (r.hasPrefix() && !s.startsWith(r.getPrefix())) {
      errors.add(path + ": must start with " + r.getPrefix());
    }
    if (r.hasSuffix() && !s.endsWith(r.getSuffix())) {
      errors.add(path + ": must end with " + r.getSuffix());
    }
    if (r.hasContains() && !s.contains(r.getContains())) {
      errors.add(path + ": must contain " + r.getContains());
    }
    if (!r.getInList().isEmpty() && !r.getInList().contains(s)) {
      errors.add(path + ": must be one of " + r.getInList());
    }
    if (r.getNotInList().contains(s)) {
      errors.add(path + ": must not be " + s);
    }
  }

  private static void enumeration(EnumValueDescriptor v, Validate.EnumRules r, Object path, List<String> errors) {
    // An unknown number read from the wire has a descriptor the enum type does not list.
    if (r.getDefinedOnly() && v.getType().findValueByNumber(v.getNumber()) == null) {
      errors.add(path + ": " + v.getNumber() + " is not a defined value");
    }
    if (r.hasConst() && v.getNumber() != r.getConst()) {
      errors.add(path + ": must be " + r.getConst());
    }
    if (!r.getInList().isEmpty() && !r.getInList().contains(v.getNumber())) {
      errors.add(path + ": must be one of " + r.getInList());
    }
    if (r.getNotInList().contains(v.getNumber())) {
      errors.add(path + ": must not be " + v.getName());
    }
  }

  /** Every numeric rule message has the same fields; read them by name. */
  private static void numeric(FieldDescriptor.Type type, Number n, Validate.FieldRules rules, Object path,
      List<String> errors) {
    Message r = numericRules(rules);
    if (r == null) {
      return;
    }
    BigDecimal v = decimal(type, n);
    bound(v, get(r, "lt", type), get(r, "lte", type), get(r, "gt", type), get(r, "gte", type), path, errors);
    BigDecimal c = get(r, "const", type);
    if (c != null && v.compareTo(c) != 0) {
      errors.add(path + ": must be " + c);
    }
    FieldDescriptor in = r.getDescriptorForType().findFieldByName("in");
    if (in != null && r.getRepeatedFieldCount(in) > 0) {
      boolean found = false;
      for (int i = 0; i < r.getRepeatedFieldCount(in); i++) {
        found |= decimal(type, (Number) r.getRepeatedField(in, i)).compareTo(v) == 0;
      }
      if (!found) {
        errors.add(path + ": " + v + " is not an allowed value");
      }
    }
  }

  private static Message numericRules(Validate.FieldRules rules) {
    for (Map.Entry<FieldDescriptor, Object> e : rules.getAllFields().entrySet()) {
      String name = e.getKey().getName();
      if (name.matches("u?int(32|64)|s?fixed(32|64)|sint(32|64)|float|double")) {
        return (Message) e.getValue();
      }
    }
    return null;
  }

  private static BigDecimal get(Message r, String field, FieldDescriptor.Type type) {
    FieldDescriptor f = r.getDescriptorForType().findFieldByName(field);
    return f != null && r.hasField(f) ? decimal(f.getType(), (Number) r.getField(f)) : null;
  }

  private static BigDecimal decimal(FieldDescriptor.Type type, Number n) {
    switch (type) {
      case UINT32:
      case FIXED32:
        return BigDecimal.valueOf(Integer.toUnsignedLong(n.intValue()));
      case UINT64:
      case FIXED64:
        return new BigDecimal(Long.toUnsignedString(n.longValue()));
      case FLOAT:
      case DOUBLE:
        return BigDecimal.valueOf(n.doubleValue());
      default:
        return BigDecimal.valueOf(n.longValue());
    }
  }

  private static void bound(BigDecimal v, BigDecimal lt, BigDecimal lte, BigDecimal gt, BigDecimal gte, Object path,
      List<String> errors) {
    if (lt != null && v.compareTo(lt) >= 0) {
      errors.add(path + ": must be < " + lt);
    }
    if (lte != null && v.compareTo(lte) > 0) {
      errors.add(path + ": must be <= " + lte);
    }
    if (gt != null && v.compareTo(gt) <= 0) {
      errors.add(path + ": must be > " + gt);
    }
    if (gte != null && v.compareTo(gte) < 0) {
      errors.add(path + ": must be >= " + gte);
    }
  }

  private static BigDecimal seconds(com.google.protobuf.Duration d) {
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNanos(), 9));
  }
}
