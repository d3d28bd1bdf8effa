// AlarmEvent as one line of protobuf's JSON mapping: protobuf's own printer, and a direct
// writer that gives the same bytes at a fraction of the cost.
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/codec.hpp"
#include "codec/wire.hpp"

namespace vigil::codec {

namespace pb = vigil::v1;
using detail::to_wire;

std::string to_json_line_protobuf(const core::alarm_event& e) {
  pb::AlarmEvent m;
  to_wire(e, m);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;  // the contract's snake_case names
  // Default-valued fields are printed too, so every line has the same keys: a reader (jq, a
  // dashboard, a diff of two replays) need not know that proto3 omits zeros, and
  // escalation_level 0 or an empty acknowledged_by is stated rather than implied. The optional
  // value/limit keep their presence: absent means "no measurement", not 0. (Protobuf 3.21
  // then prints those two optional fields last; key order means nothing in JSON, and it is the
  // same on every run.)
  options.always_print_primitive_fields = true;
  std::string line;
  // Cannot fail for a message built here (no Any, no maps); an empty line would show if it did.
  (void)google::protobuf::util::MessageToJsonString(m, &line, options);
  return line;
}

namespace {

// ---- JSON lines without protobuf's printer ----
//
// util::MessageToJsonString turns the message's descriptor into a google.protobuf.Type and
// re-reads the serialized bytes for every call: about 200,000 instructions an event. The
// writer below prints the same bytes directly: the keys in field order, every non-optional
// field (defaults too), then value and limit when present; 64-bit integers quoted; doubles as
// protobuf's SimpleDtoa (%.15g, or %.17g when that does not read back) and NaN/Infinity
// quoted; strings escaped as protobuf's JsonEscaping does for well-formed UTF-8. A string that
// is not well-formed UTF-8, or an enum value without a name, returns false: protobuf prints
// that event (the test compares the two on generated events).

constexpr char hex_digit[] = "0123456789abcdef";

void append_u16_escape(std::string& out, std::uint32_t unit) {
  const char esc[6] = {'\\',
                       'u',
                       hex_digit[(unit >> 12) & 0xF],
                       hex_digit[(unit >> 8) & 0xF],
                       hex_digit[(unit >> 4) & 0xF],
                       hex_digit[unit & 0xF]};
  out.append(esc, sizeof esc);
}

// The code points protobuf's JsonEscaping writes as \u escapes (besides those below 0xA0).
bool escaped_code_point(std::uint32_t cp) {
  switch (cp) {
    case 0xfeff:
    case 0xfff9:
    case 0xfffa:
    case 0xfffb:
    case 0x00ad:
    case 0x06dd:
    case 0x070f:
    case 0x17b4:
    case 0x17b5: return true;
    default:
      return (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
             (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
             (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
             (cp >= 0xe0020 && cp <= 0xe007f);
  }
}

// One byte below 0x80, escaped as protobuf's JsonEscaping does.
void append_ascii(std::string& out, unsigned char c) {
  switch (c) {
    case '\b': out += "\\b"; break;
    case '\t': out += "\\t"; break;
    case '\n': out += "\\n"; break;
    case '\f': out += "\\f"; break;
    case '\r': out += "\\r"; break;
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    default:
      if (c < 0x20 || c == '<' || c == '>' || c == 0x7f) {
        append_u16_escape(out, c);
      } else {
        out += static_cast<char>(c);
      }
  }
}

// The code point of the multi-byte sequence at the start of `s` and its length `n`. Well-formed
// UTF-8 only: no overlong forms, surrogates or code points past U+10FFFF.
bool read_utf8(std::string_view s, std::size_t& n, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(s[0]);
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1FU;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0FU;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07U;
  } else {
    return false;
  }
  if (s.size() < n) return false;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[k]);
    if ((b & 0xC0U) != 0x80U) return false;
    cp = (cp << 6) | (b & 0x3FU);
  }
  return !((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
           (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)));
}

bool append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      append_ascii(out, c);
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (!read_utf8(s.substr(i), n, cp)) return false;
    if (cp < 0xA0) {  // C1 controls
      append_u16_escape(out, cp);
    } else if (!escaped_code_point(cp)) {
      out.append(s.substr(i, n));
    } else if (cp <= 0xFFFF) {
      append_u16_escape(out, cp);
    } else {
      append_u16_escape(out, 0xD800 + ((cp - 0x10000) >> 10));
      append_u16_escape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
    i += n;
  }
  out += '"';
  return true;
}

template <class T>
void append_integer(std::string& out, T v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// protobuf's SimpleDtoa: 15 significant digits, 17 when 15 do not read back as the same double.
void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += std::isnan(v) ? "\"NaN\"" : v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 15);
  double back = 0;
  std::from_chars(buf, r.ptr, back);
  if (back != v) r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17);
  out.append(buf, r.ptr);
}

template <class Pb>
bool append_enum(std::string& out, int v, bool (*known)(int), const std::string& (*name)(Pb)) {
  if (!known(v)) return false;
  out += '"';
  out += name(static_cast<Pb>(v));
  out += '"';
  return true;
}

bool write_json_line(const core::alarm_event& e, std::string& out) {
  out.reserve(512);
  auto key = [&out](std::string_view k) {
    out += out.empty() ? "{\"" : ",\"";
    out += k;
    out += "\":";
  };
  auto str = [&](std::string_view k, std::string_view v) {
    key(k);
    return append_json_string(out, v);
  };
  auto quoted = [&](std::string_view k, auto v) {
    key(k);
    out += '"';
    append_integer(out, v);
    out += '"';
  };
  auto enumerated = [&](std::string_view k, auto v, bool (*known)(int), auto name) {
    key(k);
    return append_enum(out, static_cast<int>(v), known, name);
  };
  if (!str("alarm_id", e.alarm_id)) return false;
  quoted("event_seq", e.event_seq);
  if (!str("bed_id", e.bed_id) || !str("session_id", e.session_id) ||
      !str("condition", e.condition)) {
    return false;
  }
  if (!enumerated("kind", e.kind, pb::AlarmKind_IsValid, &pb::AlarmKind_Name<pb::AlarmKind>) ||
      !enumerated("priority", e.priority, pb::Priority_IsValid, &pb::Priority_Name<pb::Priority>) ||
      !enumerated("state", e.state, pb::AlarmState_IsValid, &pb::AlarmState_Name<pb::AlarmState>) ||
      !enumerated("transition", e.transition, pb::Transition_IsValid,
                  &pb::Transition_Name<pb::Transition>)) {
    return false;
  }
  if (!str("unit", e.unit)) return false;
  quoted("onset_ms", e.onset_ms);
  quoted("at_ms", e.at_ms);
  if (!enumerated("phase", e.phase, pb::Phase_IsValid, &pb::Phase_Name<pb::Phase>)) return false;
  quoted("infusion_elapsed_ms", e.infusion_elapsed_ms);
  key("escalation_level");
  append_integer(out, e.escalation_level);
  if (!str("acknowledged_by", e.acknowledged_by) || !str("text", e.text)) return false;
  if (e.value) {
    key("value");
    append_double(out, *e.value);
  }
  if (e.limit) {
    key("limit");
    append_double(out, *e.limit);
  }
  out += '}';
  return true;
}

}  // namespace

std::string to_json_line(const core::alarm_event& e) {
  std::string line;
  if (write_json_line(e, line)) return line;
  return to_json_line_protobuf(e);
}

}  // namespace vigil::codec
